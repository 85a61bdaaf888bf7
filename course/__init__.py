"""Instructor tools that nbgrader lacks, behind the `course` console script."""
