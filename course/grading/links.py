"""Symbolic links and special files in a submission carry nothing of the grader's in.

nbgrader copies a submission with the grader's rights three times (collect into submitted/,
autograde into autograded/, generate_feedback into feedback/), and each copy follows links:
a link a student planted to solutions/, the gradebook or /etc/shadow would arrive as a plain
file where the student's kernel can read it and in the feedback returned to the student. A
named pipe or a device would stall or flood the copy. Only regular files and folders are a
student's work; everything else is left out, and each thing left out is logged.

Three steps, each in one of nbgrader's own extension points (see nbgrader_config.py):
`CollectWithoutLinks` (the exchange's collect), `FindLinkedFiles` (first sanitize step: a
linked notebook is not graded; the links are listed) and `RemoveLinkedCopies` (first
autograde step: the copies nbgrader made of them are deleted before any kernel starts).
`course grade` stages submissions with `left_out` as well.
"""
import os
import shutil
import stat
import tempfile
from pathlib import Path

from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.preprocessors import NbGraderPreprocessor

METADATA_KEY = "course_links"  # the notebook's list of links, from sanitizing to autograding


def is_plain(path):
    """A regular file or a folder, not a link (to either) and not a pipe, socket or device."""
    mode = os.lstat(path).st_mode
    return stat.S_ISREG(mode) or stat.S_ISDIR(mode)


def kind(path):
    return "a symbolic link" if os.path.islink(path) else "a special file (pipe, socket, device)"


def left_out(folder, names):
    """For shutil.copytree's `ignore`: the names in `folder` that are not plain."""
    return [name for name in names if not is_plain(os.path.join(folder, name))]


def not_plain(folder):
    """Paths (relative to `folder`) of everything in it that is not plain; links to folders
    are listed, not entered."""
    found = []
    for parent, folders, files in os.walk(folder):
        for name in left_out(parent, folders + files):
            found.append(os.path.relpath(os.path.join(parent, name), folder))
        folders[:] = [name for name in folders if is_plain(os.path.join(parent, name))]
    return sorted(found)


class CollectWithoutLinks(ExchangeCollect):
    """nbgrader's collect, copying only a submission's regular files and folders."""

    def do_copy(self, src, dest, log=None):
        if not is_plain(src):
            self.log.warning("Not collected: %s is %s, not a submission folder.", src, kind(src))
            return
        for path in not_plain(src):
            self.log.warning("Left out of %s: %s is %s.", dest, path, kind(os.path.join(src, path)))
        with tempfile.TemporaryDirectory(prefix="course-collect-") as staging:
            plain = os.path.join(staging, "submission")
            shutil.copytree(src, plain, ignore=left_out)
            super().do_copy(plain, dest, log)


class LinkedNotebook(ValueError):
    pass


class FindLinkedFiles(NbGraderPreprocessor):
    """Sanitize step: refuse a notebook that is a link (its target is not the student's work)
    and record the submission's links, so RemoveLinkedCopies can delete their copies."""

    def preprocess(self, nb, resources):
        folder = resources["metadata"]["path"]
        notebook = os.path.join(folder, resources["unique_key"] + ".ipynb")
        if not is_plain(notebook):
            raise LinkedNotebook(
                f"{notebook} is {kind(notebook)}, not a notebook the student wrote: it is not "
                "graded. Ask the student to submit the notebook itself.")
        found = not_plain(folder)
        for path in found:
            self.log.warning("%s in %s is %s: its copy is deleted before grading.",
                             path, folder, kind(os.path.join(folder, path)))
        nb.metadata[METADATA_KEY] = found  # always set: a student's own value never survives
        return nb, resources


class RemoveLinkedCopies(NbGraderPreprocessor):
    """Autograde step, before the kernel starts: delete what nbgrader copied from the links
    FindLinkedFiles listed (only inside the notebook's own folder)."""

    def preprocess(self, nb, resources):
        folder = Path(resources["metadata"]["path"]).resolve()
        for path in nb.metadata.pop(METADATA_KEY, []):
            copy = folder / path
            if folder not in copy.resolve().parents:  # never outside the submission's copy
                continue
            if copy.is_dir() and not copy.is_symlink():
                shutil.rmtree(copy)
            elif copy.exists() or copy.is_symlink():
                copy.unlink()
        return nb, resources
