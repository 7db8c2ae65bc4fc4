"""moto's server on loopback, with the two Step Functions calls that the
real AWS provider makes and moto 5.2.5 lacks answered: the provider
validates a definition before creating a state machine
(ValidateStateMachineDefinition: answered OK, after checking that the
definition is JSON) and lists versions when reading one
(ListStateMachineVersions: none). moto stores state machines but does not
run them.

Usage: python moto_server.py PORT   (scripts/ci/apply.sh runs it)
"""

import json
import sys

from moto.core.responses import ActionResult
from moto.server import main
from moto.stepfunctions.exceptions import ValidationException
from moto.stepfunctions.responses import StepFunctionResponse


def validate_state_machine_definition(self):
    try:
        json.loads(self._get_param("definition"))
    except (TypeError, ValueError) as err:
        raise ValidationException(f"definition is not JSON: {err}")
    return ActionResult({"result": "OK", "diagnostics": [], "truncated": False})


def list_state_machine_versions(self):
    return ActionResult({"stateMachineVersions": []})


StepFunctionResponse.validate_state_machine_definition = validate_state_machine_definition
StepFunctionResponse.list_state_machine_versions = list_state_machine_versions

if __name__ == "__main__":
    main(["-H", "127.0.0.1", "-p", sys.argv[1]])
