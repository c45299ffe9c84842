"""The OpenFisca tax-benefit system of Himaya, and its options as parameter sets.

``HimayaRules`` holds every ruleset's variables and parameters. An option (a
country's declaration, a statistical variant) is a YAML file in ``options/``
with the shape of the parameter tree; :class:`ParameterSet` replaces those
parameters and nothing else, so adding a variant never edits a rule.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from openfisca_core.parameters import Parameter, ParameterNode, load_parameter_file
from openfisca_core.reforms import Reform
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from .entities import entities
from .variables import ilo, ma_labour_code, observation, sdg

HERE = Path(__file__).parent
PARAMETERS = HERE / "parameters"
OPTIONS = HERE / "options"
VARIABLE_MODULES = (observation, ma_labour_code, ilo, sdg)


class HimayaRules(TaxBenefitSystem):
    """Every ruleset's variables and dated parameters."""

    def __init__(self) -> None:
        super().__init__(entities)
        for module in VARIABLE_MODULES:
            self.add_variables_from_module(module)
        self.load_parameters(str(PARAMETERS))

    def add_variables_from_module(self, module: Any) -> None:
        from openfisca_core.variables import Variable

        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Variable)
                and value.__module__ == module.__name__
                and not value.__name__.startswith("_")
            ):
                self.add_variable(value)


def _replace(node: ParameterNode, overlay: ParameterNode) -> None:
    """Replace, in ``node``, every parameter that ``overlay`` defines."""
    for key, sub in overlay.children.items():
        if key not in node.children:
            raise KeyError(f"option replaces an unknown parameter: {sub.name}")
        if isinstance(sub, Parameter):
            node.children[key] = sub
            setattr(node, key, sub)
        else:
            _replace(node.children[key], sub)


class ParameterSet(Reform):
    """A reform that only replaces parameters, read from one options file."""

    option_file: Path

    def apply(self) -> None:
        overlay = load_parameter_file(str(self.option_file))

        def modify(parameters: ParameterNode) -> ParameterNode:
            _replace(parameters, overlay)
            return parameters

        self.modify_parameters(modifier_function=modify)


@cache
def baseline() -> HimayaRules:
    return HimayaRules()


@cache
def with_option_files(filenames: tuple[str, ...] = ()) -> TaxBenefitSystem:
    """The baseline system with options files applied in order (cached)."""
    system: TaxBenefitSystem = baseline()
    for filename in filenames:
        reform = type(
            f"ParameterSet_{Path(filename).stem}",
            (ParameterSet,),
            {"option_file": OPTIONS / filename, "name": filename},
        )
        system = reform(system)
    return system
