"""Run a command under an address-space limit: python -m course.grading.limit_memory MIB -- CMD..."""
import os
import resource
import sys


def main():
    limit_mb, separator, *command = sys.argv[1:]
    if separator != "--" or not command:
        sys.exit("usage: python -m course.grading.limit_memory MIB -- COMMAND [ARGS...]")
    limit = int(limit_mb) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.execvp(command[0], command)


if __name__ == "__main__":
    main()
