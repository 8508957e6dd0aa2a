"""What both locustfiles share: the resident's form data, the number of requests in
one resident's journey, and the figures written when Locust quits.

Imported by the Locust subprocesses (``locustfile.py``, ``rampfile.py``) and by the
harness; it imports neither Locust nor gevent.
"""

import json

IMPACT = {
    "impact_plan": "Buren leren elkaar kennen en helpen elkaar vaker.",
    "expected_reach": "60",
    "volunteers": "8",
    "q_volledig_vrijwillig": "ja",
    "q_jaren_gefinancierd": "0",
    "q_draagvlak": "Wij spraken veertig buren; dertig willen meedoen.",
    "q_toegankelijk": "ja",
    "action": "next",
}
BUDGET = {
    "lines-TOTAL_FORMS": "2",
    "lines-INITIAL_FORMS": "0",
    "lines-0-category": "materiaal",
    "lines-0-description": "Pannen en boodschappen",
    "lines-0-amount": "1.250,50",
    "lines-1-category": "huur",
    "lines-1-description": "Huur van het buurthuis",
    "lines-1-amount": "600",
    "other-TOTAL_FORMS": "1",
    "other-INITIAL_FORMS": "0",
    "other-0-source": "Eigen bijdrage deelnemers",
    "other-0-state": "eigen_bijdrage",
    "other-0-amount": "50",
    "action": "next",
}
#: The requests of one resident's journey: open the login link, press the button,
#: "Mijn aanvragen", impact (open, save), begroting (open, save), bijlagen (open,
#: save), controle, indienen, the status page. Every tenth resident double-clicks
#: indienen: one request more.
JOURNEY_REQUESTS = 12
DOUBLE_CLICK_EVERY = 10
MEAN_JOURNEY_REQUESTS = JOURNEY_REQUESTS + 1 / DOUBLE_CLICK_EVERY


def write_summary(stats, path):
    """Locust's final figures per request name, the total and the errors, as JSON
    (``results.read_stats`` reads them back)."""

    def figures(entry):
        return {
            "name": entry.name,
            "method": entry.method or "",
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "rps": entry.total_rps,
            "p50_ms": entry.get_response_time_percentile(0.5),
            "p95_ms": entry.get_response_time_percentile(0.95),
            "p99_ms": entry.get_response_time_percentile(0.99),
            "max_ms": entry.max_response_time,
        }

    summary = {
        "pages": [figures(entry) for entry in stats.entries.values()],
        "total": figures(stats.total),
        "errors": [
            {
                "method": error.method,
                "name": error.name,
                "error": str(error.error),
                "occurrences": error.occurrences,
            }
            for error in stats.errors.values()
        ],
    }
    path.write_text(json.dumps(summary, indent=1))
