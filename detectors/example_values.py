"""Values reserved for documentation and examples, which no real person can hold.

Standards set aside names and numbers for manuals, RFCs and test suites: the domains of RFC 2606 / RFC 6761
(`example.com/.net/.org`, the `.example`, `.test`, `.invalid`, `.localhost` top-level domains), the IPv4
TEST-NETs of RFC 5737 and MCAST-TEST-NET of RFC 5771, the IPv6 documentation prefix of RFC 3849, the
fictional US numbers 555-0100..0199 (NANPA) and the UK drama ranges (Ofcom). A text value in them is a
documentation value, not a person's data, with one exception that keeps placeholder *person records*: an
e-mail at a documentation domain whose local part names someone (`john.smith@example.com`, `doe@…`,
`marysmith@…`) stands
for a person in a test record, and a compliance reader cannot tell it from a real one. Role mailboxes
(`postmaster@`, `abuse@`, `noreply@`) at those domains are documentation.

Table columns are judged by the column classifier from the column's name and values; this module is for
free text (`Detector` drops these spans from text samples).
"""

from __future__ import annotations

import ipaddress
import re

RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
RESERVED_TLDS = ("example", "test", "invalid", "localhost")
DOCUMENTATION_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "233.252.0.0/24", "2001:db8::/32"))
# Mailbox names of a function, not a person (RFC 2142 and common practice).
ROLE_MAILBOXES = frozenset({
    "abuse", "admin", "administrator", "billing", "contact", "help", "helpdesk", "hostmaster", "info", "jobs",
    "mail", "mailer", "marketing", "news", "noc", "noreply", "no-reply", "office", "postmaster", "press",
    "privacy", "recipient", "sales", "security", "sender", "service", "support", "team", "test", "user",
    "webmaster", "www", "someone", "somebody", "nobody", "foo", "bar", "baz", "example",
})
# Fictional numbers: NANP 555-0100..0199; Ofcom drama ranges (mobile 07700 900xxx, London 020 7946 0xxx,
# and the fictional area 01632 960xxx), each in national or +1/+44 form.
_FICTIONAL_PHONES = re.compile(r"^(?:1?[2-9]\d\d)?55501\d\d$|^(?:44|0)(?:7700900|2079460|1632960)\d{3}$")
_TOKEN = re.compile(r"[a-z]+")


def _domain_reserved(domain: str) -> bool:
    domain = domain.casefold().rstrip(".")
    if domain in RESERVED_DOMAINS or any(domain.endswith("." + d) for d in RESERVED_DOMAINS):
        return True
    return domain.rsplit(".", 1)[-1] in RESERVED_TLDS


def _names_someone(local: str) -> bool:
    from detectors.names import given_names, surnames

    tokens = [t for t in _TOKEN.findall(local.casefold()) if len(t) >= 3]
    if any(t in ROLE_MAILBOXES for t in tokens):
        return False
    names = given_names() | surnames()
    # `john.smith`, `doe`, or run together: `georgewalton`
    return any(t in names or any(t[:i] in names and t[i:] in names for i in range(3, len(t) - 2)) for t in tokens)


def is_example_email(value: str) -> bool:
    local, _, domain = value.strip().strip("<>").rpartition("@")
    return bool(local) and _domain_reserved(domain) and not _names_someone(local)


def is_example_ip(value: str) -> bool:
    try:
        address = ipaddress.ip_address(value.strip().strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    return any(address in net for net in DOCUMENTATION_NETWORKS if net.version == address.version)


def is_example_phone(value: str) -> bool:
    return bool(_FICTIONAL_PHONES.match(re.sub(r"\D", "", value)))


_CHECKS = {"EMAIL_ADDRESS": is_example_email, "IP_ADDRESS": is_example_ip, "PHONE_NUMBER": is_example_phone}


def is_example_value(entity: str, value: str) -> bool:
    """True when `value`, detected as `entity` in free text, is a documentation/example value."""
    check = _CHECKS.get(entity)
    return bool(check and check(value))
