"""The shared figure helpers draw what they are given, and refuse what they cannot draw."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from aelib import plotting  # noqa: E402


def test_image_rows_draws_each_image_with_its_row_label():
    rows = [np.zeros((3, 16)), np.linspace(0, 1, 48).reshape(3, 16)]
    fig = plotting.image_rows(rows, labels=["original", "noisy"], image_shape=(4, 4))
    axes = np.array(fig.axes).reshape(2, 3)
    np.testing.assert_array_equal(axes[1, 2].images[0].get_array(), rows[1][2].reshape(4, 4))
    assert [ax.get_ylabel() for ax in axes[:, 0]] == ["original", "noisy"]
    plt.close(fig)


def test_image_rows_puts_the_titles_over_the_first_row():
    fig = plotting.image_rows(
        [np.zeros((2, 4)), np.ones((2, 4))], image_shape=(2, 2), titles=["left", "right"]
    )
    assert [ax.get_title() for ax in fig.axes] == ["left", "right", "", ""]
    plt.close(fig)


def test_filter_grid_blanks_the_cells_after_the_last_filter():
    fig = plotting.filter_grid(np.ones((4, 3)), image_shape=(2, 2), columns=2)
    assert len(fig.axes) == 4
    assert [bool(ax.images) for ax in fig.axes] == [True, True, True, False]
    assert not fig.axes[3].axison
    plt.close(fig)


def test_filter_grid_uses_a_symmetric_scale_per_filter():
    weights = np.array([[1.0, -0.5], [-3.0, 0.25], [2.0, 0.0], [0.0, 0.1]])
    fig = plotting.filter_grid(weights, image_shape=(2, 2), columns=2)
    image = fig.axes[0].images[0]
    assert image.get_clim() == (-3.0, 3.0)
    np.testing.assert_array_equal(image.get_array(), weights[:, 0].reshape(2, 2))
    assert fig.axes[1].images[0].get_clim() == (-0.5, 0.5)
    plt.close(fig)


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: plotting.image_rows([np.zeros((2, 4)), np.zeros((3, 4))], image_shape=(2, 2)),
            "same number of images",
        ),
        (
            lambda: plotting.image_rows([np.zeros((2, 4))], labels=["a", "b"], image_shape=(2, 2)),
            "labels",
        ),
        (
            lambda: plotting.image_rows([np.zeros((2, 4))], titles=["a"], image_shape=(2, 2)),
            "titles",
        ),
        (lambda: plotting.image_rows([], image_shape=(2, 2)), "at least one"),
        (lambda: plotting.filter_grid(np.zeros((5, 2)), image_shape=(2, 2)), "image_shape"),
        (lambda: plotting.filter_grid(np.zeros((4, 2)), image_shape=(2, 2), columns=0), "columns"),
    ],
)
def test_bad_arguments_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()
