"""Grading a class with nbgrader: configured preprocessors that fix what stock autograde gets
wrong, and the parallel runner behind `course grade`."""
