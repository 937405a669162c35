"""An offline replica of a Ningxia TRS government portal (www.nxzw.gov.cn's structure).

The same world is also served as a Hanweb jcms site (replica.hanweb, `family="hanweb"`).

`build_site` makes a deterministic site from a seed, `ReplicaServer` serves it over
real HTTP with optional `Faults`, and the manifest says what a perfect crawler finds.
"""

from replica.faults import Faults
from replica.server import ReplicaServer
from replica.site import Site, build_site

__all__ = ["Faults", "ReplicaServer", "Site", "build_site"]
