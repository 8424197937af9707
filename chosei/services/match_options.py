"""The parameters of `chosei match run`: defaults, checks, and how a run records them.

The defaults and why they were chosen are in `docs/kinship.md` ("Defaults, and why").
`MatchOptions` holds what the user typed; `checked()` refuses what makes no sense
(naming the option and how to fix it) and fills in the defaults; `model()` gives the
kinship library's mutation model. Each stored `MatchResult` carries the options as
JSON (`parameters`), so `match show` recomputes a pair with the options it was run
with (`from_parameters`).
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

from chosei.errors import InvalidInput
from chosei.i18n import _
from chosei.kinship import CANDIDATE_LR_FLOOR, KinshipError, MutationModel
from chosei.kinship.dropout import DEFAULT_DROP_IN
from chosei.kinship.lineage import FREQUENCY_METHODS, MT_FREQUENCY, MT_FREQUENCY_METHODS, Y_FREQUENCY
from chosei.kinship.snp_lr import DEFAULT_EPSILON
from chosei.kinship.y_mutation import Y_RATE2, YMutation, canonical_locus

DEFAULT_THETA = 0.0
FREQUENCY_TEXT = {"count": "counting bound", "kappa": "kappa if unseen, else counting bound",
                  "disclap": "discrete Laplace", "guarded": "guarded discrete Laplace"}
DEFAULT_MUTATION = "stepwise"
DEFAULT_MUTATION_RATE = 0.002
DEFAULT_MUTATION_RANGE = 0.5
DEFAULT_THRESHOLD = CANDIDATE_LR_FLOOR
MUTATION_KINDS = ("none", "equal", "proportional", "stepwise")
DEFAULT_SNP_MODEL = "linked"
SNP_MODELS = ("linked", "unlinked")  # `kinship.snp_lr`: every SNP with linkage, or the unlinked subset


@dataclass(frozen=True)
class MatchOptions:
    """The parameters of a run, as typed by a user; `checked()` validates them."""

    population: str | None = None
    theta: float = DEFAULT_THETA
    mutation: str = DEFAULT_MUTATION
    mutation_rate: float | None = None
    mutation_range: float | None = None
    threshold: float = DEFAULT_THRESHOLD
    open_prior: float = 0.0  # prior mass for "none of the expected victims" (--open)
    snp_error: float = DEFAULT_EPSILON  # per-call SNP genotyping error rate (--snp-error)
    snp_model: str = DEFAULT_SNP_MODEL  # --snp-model
    # Y-STR (`kinship.y_mutation`, `kinship.disclap`): per-locus rates replacing the table's
    # (--y-rates FILE), partial-repeat rate (--y-rate2), haplotype frequency (--y-frequency)
    y_rates: tuple[tuple[str, float], ...] = ()
    y_rate2: float = Y_RATE2
    y_frequency: str = Y_FREQUENCY
    mt_frequency: str = MT_FREQUENCY  # --mt-frequency
    dropout: float | None = None  # --dropout: the specimens' dropout probability; None: estimated per specimen
    drop_in: float | None = None  # --drop-in: drop-in rate per marker (default DEFAULT_DROP_IN; 0 with --dropout 0)

    def checked(self) -> MatchOptions:
        if not (isinstance(self.theta, int | float) and 0 <= self.theta < 1):
            raise InvalidInput(_("--theta must be at least 0 and below 1, not {theta:g}").format(theta=self.theta))
        if self.mutation not in MUTATION_KINDS:
            raise InvalidInput(_("--mutation '{mutation}' is unknown; choose one of: {mutation_kinds}").format(
                                   mutation=self.mutation, mutation_kinds=', '.join(MUTATION_KINDS)))
        if self.mutation == "none" and self.mutation_rate not in (None, 0):
            raise InvalidInput(_("--mutation-rate needs a mutation model; add e.g. --mutation stepwise"))
        if self.mutation != "stepwise" and self.mutation_range is not None:
            raise InvalidInput(_("--mutation-range applies to the stepwise model only; add --mutation stepwise"))
        if self.mutation_rate is not None and not 0 <= self.mutation_rate < 1:
            raise InvalidInput(_("--mutation-rate must be at least 0 and below 1, not {mutation_rate:g}").format(
                                   mutation_rate=self.mutation_rate))
        if self.mutation_range is not None and not self.mutation_range > 0:
            raise InvalidInput(_("--mutation-range must be above 0, not {mutation_range:g}").format(
                                   mutation_range=self.mutation_range))
        if not (math.isfinite(self.threshold) and self.threshold >= 1):
            raise InvalidInput(_("--threshold must be a likelihood ratio of at least 1, not {threshold:g}").format(
                                   threshold=self.threshold))
        if not (isinstance(self.open_prior, int | float) and 0 <= self.open_prior < 1):
            raise InvalidInput(_("--open must be a probability at least 0 and below 1, not {open_prior:g}").format(
                                   open_prior=self.open_prior))
        if not (isinstance(self.snp_error, int | float) and 0 <= self.snp_error < 0.5):
            raise InvalidInput(_("--snp-error must be at least 0 and below 0.5, not {snp_error:g}").format(
                                   snp_error=self.snp_error))
        if self.snp_model not in SNP_MODELS:
            raise InvalidInput(_("--snp-model '{snp_model}' is unknown; choose one of: {snp_models}").format(
                                   snp_model=self.snp_model, snp_models=', '.join(SNP_MODELS)))
        if not (isinstance(self.y_rate2, int | float) and 0 <= self.y_rate2 < 0.5):
            raise InvalidInput(_("--y-rate2 must be at least 0 and below 0.5, not {y_rate2:g}").format(
                                   y_rate2=self.y_rate2))
        if self.y_frequency not in FREQUENCY_METHODS:
            raise InvalidInput(_("--y-frequency '{y_frequency}' is unknown; choose one of: {frequency_methods}").format(
                                   y_frequency=self.y_frequency, frequency_methods=', '.join(FREQUENCY_METHODS)))
        if self.mt_frequency not in MT_FREQUENCY_METHODS:
            raise InvalidInput(
                _("--mt-frequency '{mt_frequency}' is unknown; choose one of: {frequency_methods}").format(
                    mt_frequency=self.mt_frequency, frequency_methods=', '.join(MT_FREQUENCY_METHODS)))
        y_rates = tuple(sorted((canonical_locus(m), float(r)) for m, r in self.y_rates))
        for marker, value in y_rates:
            if not 0 <= value < 0.5:
                raise InvalidInput(_("--y-rates: the rate of {marker} must be at least 0 and below 0.5, not "
                                     "{value:g}").format(marker=marker, value=value))
        if self.dropout is not None and not (isinstance(self.dropout, int | float) and 0 <= self.dropout < 1):
            raise InvalidInput(_("--dropout must be 'auto' or a probability at least 0 and below 1, not "
                                 "{dropout:g}").format(dropout=self.dropout))
        if self.drop_in is not None and not (isinstance(self.drop_in, int | float) and 0 <= self.drop_in < 1):
            raise InvalidInput(_("--drop-in must be a probability at least 0 and below 1, not {drop_in:g}").format(
                                   drop_in=self.drop_in))
        if self.dropout == 0 and self.drop_in:
            raise InvalidInput(_("--drop-in needs the dropout model, which --dropout 0 turns off; give --dropout "
                                 "auto or a probability above 0"))
        drop_in = 0.0 if self.dropout == 0 else DEFAULT_DROP_IN if self.drop_in is None else float(self.drop_in)
        rate = 0.0 if self.mutation == "none" else (
            DEFAULT_MUTATION_RATE if self.mutation_rate is None else self.mutation_rate)
        rng = (DEFAULT_MUTATION_RANGE if self.mutation_range is None else self.mutation_range) \
            if self.mutation == "stepwise" else None
        pop = self.population.strip() if self.population else None
        return MatchOptions(pop or None, float(self.theta), self.mutation, rate, rng, float(self.threshold),
                            float(self.open_prior), float(self.snp_error), self.snp_model, y_rates,
                            float(self.y_rate2), self.y_frequency, self.mt_frequency,
                            None if self.dropout is None else float(self.dropout), drop_in)

    def model(self) -> MutationModel:
        opts = self.checked()
        if opts.mutation == "stepwise":
            step = opts.mutation_range or DEFAULT_MUTATION_RANGE
            return MutationModel("stepwise", opts.mutation_rate or 0.0, range=step)
        return MutationModel(opts.mutation, opts.mutation_rate or 0.0)  # type: ignore[arg-type]  # one of MUTATION_KINDS, checked

    def y_model(self) -> YMutation:
        """The Y-STR mutation model: the published per-locus rates, `y_rates` replacing some."""
        opts = self.checked()
        try:
            return YMutation(rates=dict(opts.y_rates), rate2=opts.y_rate2)
        except KinshipError as exc:
            raise InvalidInput(str(exc)) from None

    def describe(self) -> str:
        text = f"theta {self.theta:g}, mutation {self.model().describe()}"
        return text if self.checked().dropout == 0 else f"{text}, {self.dropout_text()}"

    def describe_y(self) -> str:
        """The Y-STR settings in a few words, for the run's summary."""
        rates = f"published per-locus rates ({len(self.y_rates)} replaced)" if self.y_rates \
            else "published per-locus rates"
        y, mt = (FREQUENCY_TEXT.get(m, m) for m in (self.y_frequency, self.mt_frequency))
        return f"Y-STR: {rates}, rate2 {self.y_rate2:g}, frequency {y}; mtDNA frequency {mt}"

    def dropout_text(self) -> str:
        """How the specimens' dropout is modelled, for the run's summary and the method text."""
        opts = self.checked()
        if opts.dropout == 0:
            return "no dropout model (--dropout 0)"
        each = "estimated per specimen" if opts.dropout is None else f"{opts.dropout:g}"
        return f"specimen dropout {each}, drop-in {opts.drop_in:g}"

    def parameters(self, population: str, prior_n: int, specimen_dropout: float | None = None,
                   group: str | None = None) -> str:
        """The JSON stored with each `MatchResult` row: how its numbers were computed
        (`prior_n` is the expected roster N of the closed-set prior; `specimen_dropout`
        the dropout probability the row's specimen was matched with; `group` the DNA
        group it was matched as, if any)."""
        data = {**asdict(self), "population": population, "prior_n": prior_n,
                "chosen_population": self.population}
        if specimen_dropout is not None:
            data["specimen_dropout"] = specimen_dropout
        if group is not None:
            data["group"] = group
        return json.dumps(data, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_parameters(cls, text: str | None) -> MatchOptions:
        data = json.loads(text) if text else {}
        if "drop_in" not in data:  # stored before the dropout model: computed without it
            data["dropout"] = 0.0
        data.setdefault("y_frequency", "count")  # stored before `kappa` was the default: counted
        data.setdefault("mt_frequency", "count")
        keys = ("theta", "mutation", "mutation_rate", "mutation_range", "threshold", "open_prior",
                "snp_error", "snp_model", "y_rate2", "y_frequency", "mt_frequency", "dropout", "drop_in")
        rates = tuple((str(m), float(r)) for m, r in data.get("y_rates", ()))
        return cls(population=data.get("chosen_population"), y_rates=rates,
                   **{k: data[k] for k in keys if k in data})


def read_y_rates(path: Path) -> tuple[tuple[str, float], ...]:
    """Per-locus Y-STR rates from a CSV file: one `locus,rate` per line, an optional
    header line `locus,rate`; e.g. `DYS570,0.0114`. Loci not listed keep the table's rate."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidInput(_("--y-rates: cannot read {path}: {value}").format(path=path,
        value=exc.strerror or exc)) from None
    except UnicodeDecodeError:
        raise InvalidInput(_("--y-rates {path_name} is not UTF-8 text; save it as CSV (UTF-8)").format(
                               path_name=path.name)) from None
    out: dict[str, float] = {}
    for number, row in enumerate(csv.reader(text.splitlines()), start=1):
        cells = [c.strip() for c in row]
        if not any(cells) or (number == 1 and [c.casefold() for c in cells[:2]] == ["locus", "rate"]):
            continue
        if len(cells) != 2 or not cells[0]:
            raise InvalidInput(_("--y-rates {path_name}, line {number}: write a locus and its rate, e.g. "
                                 "DYS570,0.0114").format(path_name=path.name, number=number))
        try:
            value = float(cells[1])
        except ValueError:
            raise InvalidInput(_("--y-rates {path_name}, line {number}: '{cells}' is not a rate; write e.g. "
                                 "0.0114").format(path_name=path.name, number=number, cells=cells[1])) from None
        if not (math.isfinite(value) and 0 <= value < 0.5):
            raise InvalidInput(_("--y-rates {path_name}, line {number}: the rate of {cells} must be at least 0 "
                                 "and below 0.5, not {rate}").format(
                                   path_name=path.name, number=number, cells=cells[0], rate=cells[1]))
        try:
            locus = canonical_locus(cells[0])
        except KinshipError as exc:
            raise InvalidInput(_("--y-rates {path_name}, line {number}: {exc}").format(
                                   path_name=path.name, number=number, exc=exc)) from None
        if locus in out:
            raise InvalidInput(_("--y-rates {path_name}, line {number}: {cells} is listed twice; keep one").format(
                                   path_name=path.name, number=number, cells=cells[0]))
        out[locus] = value
    if not out:
        raise InvalidInput(_("--y-rates {path_name} lists no locus; write one `locus,rate` per line").format(
                               path_name=path.name))
    return tuple(sorted(out.items()))


def method_text(options: MatchOptions, population: str) -> str:
    """How a pair's numbers were computed, for `Identification.method`."""
    return f"chosei match run (population {population}, {options.describe()})"
