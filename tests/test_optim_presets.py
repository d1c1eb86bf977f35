"""paramopt.optim.create: every optimiser and preset by its name, from one table."""

import numpy as np
import pytest

import paramopt as po
from paramopt.style import OPTIMIZER_STYLE

#: optimisers that take matrices only, and the second parameter they get instead of a vector
MATRICES_ONLY = {"Muon": (3, 1)}


@pytest.mark.parametrize("name", [*po.optim.CLASSES, *po.optim.PRESETS])
def test_create_builds_every_class_and_preset(name):
    second = MATRICES_ONLY.get(name, (3,))
    params = [np.ones((2, 3)), np.zeros(second)]
    opt = po.optim.create(name, params, lr=0.05)
    assert isinstance(opt, po.optim.Optimizer) and opt.params == params and opt.lr == 0.05
    opt.step([np.ones((2, 3)), np.ones(second)])
    assert np.all(params[0] < 1)


def test_every_styled_optimiser_can_be_created():
    assert set(OPTIMIZER_STYLE) <= {*po.optim.CLASSES, *po.optim.PRESETS}


def test_a_preset_is_its_class_with_its_hyperparameters_and_yours_win():
    nesterov = po.optim.create("nesterov", [np.ones(2)], lr=0.1, momentum=0.5)
    assert type(nesterov) is po.optim.SGD
    assert (nesterov.momentum, nesterov.nesterov, nesterov.lr) == (0.5, True, 0.1)
    assert po.optim.create("amsgrad", [np.ones(2)]).amsgrad


def test_sgdw_is_sgd_with_momentum_inside_decoupled_decay():
    sgdw = po.optim.create("SGDW", [np.ones(2)], lr=0.1, weight_decay=0.3)
    assert isinstance(sgdw, po.optim.DecoupledWeightDecay) and sgdw.weight_decay == 0.3
    assert sgdw.optimizer.momentum == 0.9 and sgdw.optimizer.weight_decay == 0


def test_names_match_in_any_case_and_unknown_names_are_listed():
    assert type(po.optim.create("adamw", [np.ones(2)])) is po.optim.AdamW
    with pytest.raises(ValueError, match=r"Invalid optimizer: 'Adamm' \(choose from .*'Adam'"):
        po.optim.create("Adamm", [np.ones(2)])
    with pytest.raises(TypeError, match="name must be"):
        po.optim.create(po.optim.Adam, [np.ones(2)])
