"""The class roster of a course hub: who may log in, in which role, with which password.

The roster is a CSV file, one person a line: `name,role,password hash`, where role is
`instructor` (the one who owns the course folder), `ta` or `student`. Passwords are stored
only as salted scrypt hashes.

    python hub/roster.py ROSTER add [--role ta] NAME...   add people, print their passwords
    python hub/roster.py ROSTER password NAME...          give people new passwords
    python hub/roster.py ROSTER list
    python hub/roster.py ROSTER tell-hub --api URL --token-file FILE NAME...
                                  put assistants in the running hub's assistants group

`RosterAuthenticator` lets in exactly the people on the roster, with their own password, and
creates each one's operating-system account on their first login (the hub runs as root), so
every student's server, kernel and files belong to that student alone.
"""
import argparse
import csv
import json
import hashlib
import hmac
import os
import pwd
import re
import secrets
import sys
import urllib.error
import urllib.request
from pathlib import Path

ROLES = ("instructor", "ta", "student")
# Names become operating-system accounts: lower case, starting with a letter, short.
NAME = re.compile(r"^[a-z][a-z0-9-]{0,30}$")
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
FIRST_REGULAR_UID = 1000
ASSISTANTS_GROUP = "teaching-assistants"  # holds the hub's teaching-assistant role


def password_hash(password, salt=None):
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def password_matches(password, stored):
    try:
        kind, salt, digest = stored.split("$")
    except ValueError:
        return False
    if kind != "scrypt":
        return False
    return hmac.compare_digest(password_hash(password, bytes.fromhex(salt)).split("$")[2], digest)


def read(path):
    """{name: (role, password hash)}; an absent roster is an empty class."""
    path = Path(path)
    if not path.exists():
        return {}
    with open(path, newline="") as rows:
        return {row[0]: (row[1], row[2]) for row in csv.reader(rows) if len(row) == 3}


def write(path, roster):
    path = Path(path)
    temporary = path.with_name(path.name + ".new")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # hashes: root only
    with os.fdopen(fd, "w", newline="") as rows:
        csv.writer(rows).writerows([name, *entry] for name, entry in sorted(roster.items()))
    os.replace(temporary, path)


def add(path, names, role="student", new_password=True):
    """Add people (or change their role); returns {name: new password} for those given one."""
    bad = [name for name in names if not NAME.match(name)]
    if bad:
        raise ValueError(f"not usable as account names: {', '.join(bad)} (use lower-case "
                         f"letters, digits and '-', starting with a letter)")
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    roster, passwords = read(path), {}
    for name in names:
        if name in roster and not new_password:
            roster[name] = (role, roster[name][1])
            continue
        passwords[name] = secrets.token_urlsafe(9)
        roster[name] = (role, password_hash(passwords[name]))
    write(path, roster)
    return passwords


def renew_passwords(path, names):
    """New passwords for people on the roster, each keeping their role: {name: password}."""
    roster = read(path)
    unknown = [name for name in names if name not in roster]
    if unknown:
        raise ValueError(f"Not on the roster: {', '.join(unknown)}")
    passwords = {}
    for name in names:
        passwords.update(add(path, [name], roster[name][0]))
    return passwords


def hub_request(api, token, method, path, body=None):
    """One call to JupyterHub's REST API; returns the HTTP status."""
    request = urllib.request.Request(
        f"{api.rstrip('/')}/{path}", method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def tell_hub_about_assistants(api, token, names):
    """Make the hub users (and accounts) and put them in the assistants group of a running
    hub: their role's rights hold from their next request on, without a restart."""
    for name in names:
        if hub_request(api, token, "GET", f"users/{name}") == 404:
            status = hub_request(api, token, "POST", f"users/{name}")
            if status != 201:
                raise RuntimeError(f"the hub would not add {name} (HTTP {status})")
    status = hub_request(api, token, "POST", f"groups/{ASSISTANTS_GROUP}/users",
                         {"users": list(names)})
    if status != 200:
        raise RuntimeError(f"the hub would not put {', '.join(names)} in the group "
                           f"{ASSISTANTS_GROUP} (HTTP {status})")


def system_account_clash(name):
    """True when `name` is an existing system account (root, daemon, ...): never a student."""
    try:
        return pwd.getpwnam(name).pw_uid < FIRST_REGULAR_UID
    except KeyError:
        return False


try:
    from jupyterhub.auth import LocalAuthenticator
    from traitlets import Unicode
except ImportError:  # the command line below works without JupyterHub
    LocalAuthenticator = None

if LocalAuthenticator is not None:
    class RosterAuthenticator(LocalAuthenticator):
        """Log in with a name and password from the roster; make the account on first login."""

        roster_file = Unicode(config=True, help="CSV roster: name,role,password hash").tag(
            allow_config=True)

        def check_allowed(self, username, authentication=None):
            return username in read(self.roster_file) and not system_account_clash(username)

        async def authenticate(self, handler, data):
            name, password = data.get("username", ""), data.get("password", "")
            entry = read(self.roster_file).get(name)
            if entry is None or system_account_clash(name):
                return None
            return name if password_matches(password, entry[1]) else None


def main(argv=None):
    parser = argparse.ArgumentParser(description="Manage the course hub's roster.")
    parser.add_argument("roster", type=Path)
    commands = parser.add_subparsers(dest="command", required=True)
    adding = commands.add_parser("add", help="add people and print their passwords")
    adding.add_argument("--role", choices=ROLES, default="student")
    adding.add_argument("names", nargs="+", metavar="NAME")
    renewing = commands.add_parser("password", help="give people new passwords")
    renewing.add_argument("names", nargs="+", metavar="NAME")
    commands.add_parser("list", help="who is on the roster")
    telling = commands.add_parser("tell-hub", help="put assistants in a running hub's group")
    telling.add_argument("--api", required=True, help="the hub's API, .../hub/api")
    telling.add_argument("--token-file", type=Path, required=True)
    telling.add_argument("names", nargs="+", metavar="NAME")
    args = parser.parse_args(argv)
    roster = read(args.roster)
    try:
        if args.command == "add":
            passwords = add(args.roster, args.names, args.role)
        elif args.command == "tell-hub":
            not_assistants = [name for name in args.names
                              if roster.get(name, ("",))[0] != "ta"]
            if not_assistants:
                sys.exit(f"Not assistants on the roster: {', '.join(not_assistants)}")
            tell_hub_about_assistants(args.api, args.token_file.read_text().strip(), args.names)
            return
        elif args.command == "password":
            passwords = renew_passwords(args.roster, args.names)
        else:
            for name, (role, _) in sorted(roster.items()):
                print(f"{name},{role}")
            return
    except (ValueError, RuntimeError, OSError) as error:
        sys.exit(str(error))
    print_passwords(passwords)


def print_passwords(passwords, header=True):
    """What `add` and `password` print: `name,password` lines, to hand out."""
    if header:
        print("name,password")
    for name, password in passwords.items():
        print(f"{name},{password}")


if __name__ == "__main__":
    main()
