"""The build step pyproject.toml cannot declare: compile the message catalogues.

`compile_catalogs` turns each chosei/locale/<lang>/LC_MESSAGES/chosei.po into the .mo file
Python's gettext reads, with Babel (a build requirement, see pyproject.toml): into the
wheel for a normal install, next to the .po for an editable one (`pip install -e .`,
setuptools' editable_mode). The .mo files are build products, not kept in git.
"""

from pathlib import Path

from setuptools import Command, setup
from setuptools.command.build import build

LOCALE = Path("chosei") / "locale"


class compile_catalogs(Command):
    description = "compile chosei's message catalogues (.po) to .mo"
    user_options: list = []

    def initialize_options(self) -> None:
        self.build_lib = None
        self.editable_mode = False

    def finalize_options(self) -> None:
        self.set_undefined_options("build_py", ("build_lib", "build_lib"))

    def _pairs(self):
        for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
            mo = po.with_suffix(".mo")
            yield po, (mo if self.editable_mode else Path(self.build_lib) / mo)

    def run(self) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po, mo in self._pairs():
            with po.open("rb") as f:
                catalog = read_po(f)
            mo.parent.mkdir(parents=True, exist_ok=True)
            with mo.open("wb") as f:
                write_mo(f, catalog)

    def get_source_files(self) -> list[str]:
        return [str(po) for po, _ in self._pairs()]

    def get_outputs(self) -> list[str]:
        return [str(mo) for _, mo in self._pairs()]

    def get_output_mapping(self) -> dict[str, str]:
        return {str(mo): str(po) for po, mo in self._pairs()}


class build_with_catalogs(build):
    sub_commands = [*build.sub_commands, ("compile_catalogs", None)]


setup(cmdclass={"build": build_with_catalogs, "compile_catalogs": compile_catalogs})
