"""What the course's lessons need besides the answers: data, plots, widgets and checks.

Nothing in this package solves a graded exercise; it only helps a student see and test
their own code.
"""
