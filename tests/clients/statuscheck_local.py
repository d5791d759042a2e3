"""Run statuscheck's Statuspage reader against a base URL: ``python statuscheck_local.py URL``.

statuscheck knows Statuspage pages by their statuspage.io id only; its base
class builds every URL in ``_get_base_url``, which this subclass points at
the site under test. Prints what the client understood, as JSON, after its
own text summary.
"""

import json
import sys

from statuscheck.services.bases._statuspageio import BaseStatusPageAPI


class LocalPage(BaseStatusPageAPI):
    name = "Local status page"
    status_url = sys.argv[1]

    def _get_base_url(self):
        return sys.argv[1] + "api/v2/"


page = LocalPage()
page._print_summary(verbose=True)
summary = page.summary
print("---")
print(
    json.dumps(
        {
            "indicator": summary.status.code,
            "name": summary.status.name,
            "is_ok": summary.status.is_ok,
            "components": [[c.id, c.status] for c in summary.components],
            "incidents": [
                [i.id, i.status, [c.id for c in i.components]] for i in summary.incidents
            ],
        }
    )
)
