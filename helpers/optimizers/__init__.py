"""Lesson 04 (optimizers): test surfaces, races of the student's optimizers against
torch.optim, their figures and widget, and a linear neuron fitted on minibatches (a
stochastic loss). Its grading checks are in helpers/checks_optimizers.py.

One idea a module: surfaces, races, figures, race_widget, minibatches. Nothing here
implements an optimizer: the reference is torch.optim. The lesson imports from here.
"""
from helpers.optimizers.figures import (plot_losses, plot_paths, plot_race, plot_stochastic_race,
                                        plot_surface, show_race, show_surfaces)
from helpers.optimizers.minibatches import (follow_torch_on_batches, loss_per_epoch,
                                            mse_gradient, regression_data, regression_surface,
                                            train_on_minibatches)
from helpers.optimizers.race_widget import OptimizerRace
from helpers.optimizers.races import (describe, first_disagreement, follow, follow_torch, losses,
                                      race)
from helpers.optimizers.surfaces import SURFACES, Surface, surface_named
