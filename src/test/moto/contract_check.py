"""Checks AWS requests against botocore's service models and the documented cross-field rules (smsp_contract).

  contract_check.py <service> <operation> '<request JSON>'   one request
  contract_check.py -                                        a JSON list of {"service", "operation", "request"}
                                                             on stdin (the shape `plan -o json` prints)

Prints a JSON list with the violations of each request ({"index", "service", "operation", "violations"}) and
exits 1 when any request breaks a rule, 0 when all pass, 2 on bad input.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import smsp_contract  # noqa: E402


def main(argv):
    if argv == ["-"]:
        requests = json.load(sys.stdin)
    elif len(argv) == 3:
        requests = [{"service": argv[0], "operation": argv[1], "request": json.loads(argv[2])}]
    else:
        print(__doc__, file=sys.stderr)
        return 2
    results = []
    for i, r in enumerate(requests):
        violations = smsp_contract.check(r["service"], r["operation"], r["request"])
        results.append({"index": i, "service": r["service"], "operation": r["operation"], "violations": violations})
    json.dump(results, sys.stdout, indent=2)
    print()
    return 1 if any(r["violations"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
