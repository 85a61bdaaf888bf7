"""Lesson 04's race widget: the student's optimizers against torch.optim's on a surface."""
import html
import re

import ipywidgets as widgets
import numpy as np
import torch

from helpers.optimizers.figures import RaceFigure
from helpers.optimizers.races import Runner, describe, first_disagreement, follow_torch, race
from helpers.optimizers.surfaces import SURFACES
from helpers.widgets import StudentWidget


ENTRIES = {
    "SGD": ("SGD", torch.optim.SGD, {}),
    "Momentum": ("SGD", torch.optim.SGD, {"momentum": 0.9}),
    "Adagrad": ("Adagrad", torch.optim.Adagrad, {}),
    "RMSprop": ("RMSprop", torch.optim.RMSprop, {}),
    "Adadelta": ("Adadelta", torch.optim.Adadelta, {}),
    "Adam": ("Adam", torch.optim.Adam, {}),
}

NOT_READY = ("<b>Not ready yet:</b> {what}. Implement it in its exercise above and run that "
             "cell, then run this cell again. Meanwhile torch.optim's path is drawn alone.")


class OptimizerRace(StudentWidget):
    """Race the student's optimizers against torch.optim's on a surface, step by step.

    `optimizers` maps class names ("SGD", "Adagrad", "RMSprop", "Adadelta", "Adam") to the
    student's classes. The whole race is computed when a control changes; the step slider
    (or the Play button) only redraws.
    """

    def __init__(self, optimizers, num_steps=200, surface="Rosenbrock",
                 chosen=("SGD", "Momentum", "Adam")):
        self.optimizers, self.num_steps = dict(optimizers), num_steps
        self.surface = widgets.Dropdown(options=list(SURFACES), value=surface,
                                        description="Surface")
        self.choices = {label: widgets.Checkbox(value=label in chosen, description=label,
                                                indent=False, layout={"width": "95px"})
                        for label in ENTRIES}
        self.lr = widgets.FloatLogSlider(value=SURFACES[surface].lr, base=10, min=-4,
                                         max=0.5, step=0.05, description="lr",
                                         readout_format=".2g", continuous_update=False)
        self.play = widgets.Play(value=0, min=0, max=num_steps, step=2, interval=100,
                                 description="Play")
        self.step = widgets.IntSlider(value=0, min=0, max=num_steps, description="Step")
        widgets.jslink((self.play, "value"), (self.step, "value"))
        super().__init__([widgets.HBox([self.surface, self.lr]),
                          widgets.HBox(list(self.choices.values())),
                          widgets.HBox([self.play, self.step])],
                         width="800px", picture_first=True)
        self.surface.observe(self._new_surface, names="value")
        self.on_change(self.rerun, self.lr, *self.choices.values())
        self.on_change(self.redraw, self.step)
        self.rerun()

    def _new_surface(self, change):
        if self.lr.value != SURFACES[change["new"]].lr:
            self.lr.value = SURFACES[change["new"]].lr  # its observer reruns the race
        else:
            self.rerun()

    def runners(self):
        """The chosen racers: the student's and torch.optim's, with the chosen lr."""
        students, torches, missing = [], {}, {}
        for label, box in self.choices.items():
            if not box.value:
                continue
            name, torch_cls, fixed = ENTRIES[label]
            hyperparameters = {"lr": self.lr.value, **fixed}
            torches[label] = (torch_cls, hyperparameters)
            if self.optimizers.get(name) is None:
                missing[label] = f"there is no class `{name}`"
            else:
                students.append(Runner(label, self.optimizers[name], hyperparameters))
        return students, torches, missing

    def rerun(self):
        """Compute the whole race for the current controls, then draw the current step."""
        surface = SURFACES[self.surface.value]
        students, torches, missing = self.runners()
        self.paths, self.problems = race(students, surface, self.num_steps)
        self.problems.update(missing)
        self.reference = {label: follow_torch(torch_cls, surface, self.num_steps,
                                              **hyperparameters)
                          for label, (torch_cls, hyperparameters) in torches.items()}
        self.report = self._report(surface, torches)
        self.drawing = RaceFigure(surface, self.paths, self.reference,
                                  title=f", lr = {self.lr.value:.2g}")
        self.redraw()

    def _report(self, surface, torches):
        rows = []
        for label, (torch_cls, hyperparameters) in torches.items():
            settings = html.escape(describe("", hyperparameters))
            if label in self.problems:
                what = re.sub(r"`([^`]*)`", r"<code>\1</code>",
                              html.escape(self.problems[label]))
                verdict = NOT_READY.format(what=what)
            else:
                disagreement = first_disagreement(self.paths[label], self.reference[label])
                verdict = ("follows torch.optim step for step" if disagreement is None else
                           f"<b>leaves torch.optim's path at step {disagreement}</b>")
            gone = np.isnan(self.reference[label]).any(axis=-1)
            end = (f"blows up at step {int(np.argmax(gone))}" if gone.any() else
                   f"loss {surface.loss_np(self.reference[label][-1]):.4g} after "
                   f"{self.num_steps} steps")
            rows.append(f"<tr><td><b>{html.escape(label)}</b> {settings}</td>"
                        f"<td>{verdict}</td><td>{end}</td></tr>")
        if not rows:
            return "Tick at least one optimizer."
        return ("<table><tr><th>optimizer</th><th>yours</th><th>torch.optim</th></tr>"
                + "".join(rows) + "</table>"
                "Your paths are the colored lines; torch.optim's are the grey dashes beneath.")

    def draw(self):
        """The race up to the chosen step (the student's problems are rows of the report)."""
        return self.report, self.drawing.png(self.step.value)
