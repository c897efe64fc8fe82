"""The examples in the docstrings run and give what they show: an example that no longer holds misleads the
next reader of the module more than no example."""

import doctest
import importlib
import pkgutil

import pytest

import graphkit
import loaders

MODULES = sorted(
    m.name
    for pkg in (graphkit, loaders)
    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + ".")
    if not m.name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_examples_hold(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} fail (see above)"
