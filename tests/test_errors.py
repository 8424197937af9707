import pytest

from chosei.errors import NotFound


@pytest.mark.parametrize(
    ("ident", "message"),
    [
        ("CH-1", "no victim with ID 'CH-1'; did you mean CH-001, CH-100, CH-010?"),
        ("ch-010", "no victim with ID 'ch-010'; did you mean CH-010?"),
        ("CH-0100", "no victim with ID 'CH-0100'; did you mean CH-100, CH-010, CH-001?"),
        ("XYZ", "no victim with ID 'XYZ'; `chosei victim list` shows them"),
    ],
    ids=["unpadded", "lower-case", "over-padded", "nothing-close"],
)
def test_suggestions(ident: str, message: str) -> None:
    assert NotFound.for_id("victim", ident, ["CH-001", "CH-010", "CH-100"]).message == message
