"""Asserts on what moto holds after `terraform apply` of main.tf, or, with
--destroyed, that `terraform destroy` left nothing of it. Every expected
value is main.tf's input or a module default; a difference fails with the
resource, the field, what moto holds and what was wanted.

Usage: python check.py ENDPOINT [--destroyed]   (scripts/ci/apply.sh)
"""

import json
import sys

import boto3

endpoint = sys.argv[1]
destroyed = "--destroyed" in sys.argv[2:]
ACCOUNT, REGION = "123456789012", "eu-west-1"
client = lambda name: boto3.client(name, endpoint_url=endpoint, region_name=REGION,
                                   aws_access_key_id="test", aws_secret_access_key="test")
failures = []


def want(what, got, expected):
    if got != expected:
        failures.append(f"{what}: moto holds {got!r}, want {expected!r}")


lam, apigw, ecr, iam, logs, s3, sfn = (client(n) for n in
                                        ("lambda", "apigatewayv2", "ecr", "iam", "logs", "s3", "stepfunctions"))
functions = {f["FunctionName"]: f for f in lam.list_functions()["Functions"]}
apis = apigw.get_apis()["Items"]
repos = [r["repositoryName"] for r in ecr.describe_repositories()["repositories"]]
roles = sorted(r["RoleName"] for r in iam.list_roles()["Roles"])
machines = sfn.list_state_machines()["stateMachines"]
groups = sorted(g["logGroupName"] for g in logs.describe_log_groups()["logGroups"])
buckets = sorted(b["Name"] for b in s3.list_buckets()["Buckets"])

if destroyed:
    for what, left in [("functions", sorted(functions)), ("APIs", [a["Name"] for a in apis]), ("repositories", repos),
                       ("roles", roles), ("state machines", [m["name"] for m in machines]),
                       ("log groups", groups), ("buckets", buckets)]:
        want(f"{what} after destroy", left, [])
else:
    want("functions", sorted(functions), ["jobmatch-image", "jobmatch-zip"])
    want("roles", roles, ["jobmatch-image", "jobmatch-rank-sfn", "jobmatch-zip"])
    want("buckets", buckets, ["jobmatch-artifacts", "jobmatch-results", "jobmatch-resumes"])
    want("repositories", repos, ["jobmatch-image"])
    want("log groups", [g for g in groups if g.startswith("/aws/lambda/")], ["/aws/lambda/jobmatch-image", "/aws/lambda/jobmatch-zip"])

    z = lam.get_function_configuration(FunctionName="jobmatch-zip")
    want("jobmatch-zip runtime", z.get("Runtime"), "provided.al2023")
    want("jobmatch-zip handler", z.get("Handler"), "bootstrap")
    want("jobmatch-zip architectures", z.get("Architectures"), ["arm64"])
    want("jobmatch-zip timeout", z.get("Timeout"), 20)
    want("jobmatch-zip memory", z.get("MemorySize"), 512)
    want("jobmatch-zip environment", z.get("Environment", {}).get("Variables"),
         {"JOBMATCH_MODEL_DIR": "/var/task/model", "JOBMATCH_INT8": "true"})
    want("jobmatch-zip role", z.get("Role"), f"arn:aws:iam::{ACCOUNT}:role/jobmatch-zip")
    i = lam.get_function_configuration(FunctionName="jobmatch-image")
    want("jobmatch-image package type", i.get("PackageType"), "Image")
    want("jobmatch-image architectures", i.get("Architectures"), ["x86_64"])
    want("jobmatch-image timeout", i.get("Timeout"), 30)
    want("jobmatch-image memory", i.get("MemorySize"), 1769)
    img = lam.get_function(FunctionName="jobmatch-image")["Code"].get("ImageUri")
    want("jobmatch-image image", img, f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/jobmatch-image:0123abc")
    for name in functions:
        aliases = [a["Name"] for a in lam.list_aliases(FunctionName=name)["Aliases"]]
        want(f"{name} aliases", aliases, ["live"])

    want("APIs", [a["Name"] for a in apis], ["jobmatch-zip"])
    if apis:
        api = apis[0]
        want("API protocol", api.get("ProtocolType"), "HTTP")
        integ = apigw.get_integrations(ApiId=api["ApiId"])["Items"]
        want("integrations", len(integ), 1)
        if integ:
            want("integration payload format", integ[0].get("PayloadFormatVersion"), "2.0")
            want("integration type", integ[0].get("IntegrationType"), "AWS_PROXY")
            want("integration timeout (ms)", integ[0].get("TimeoutInMillis"), 21000)
            want("integration target", integ[0].get("IntegrationUri", "").endswith(":function:jobmatch-zip:live/invocations")
                 or integ[0].get("IntegrationUri", "").endswith(":function:jobmatch-zip:live"), True)
        routes = sorted(r["RouteKey"] for r in apigw.get_routes(ApiId=api["ApiId"])["Items"])
        want("routes", routes, ["GET /", "GET /health", "POST /keywords", "POST /match", "POST /rank", "POST /text"])
        stages = [s["StageName"] for s in apigw.get_stages(ApiId=api["ApiId"])["Items"]]
        want("stages", stages, ["$default"])
    policy = json.loads(lam.get_policy(FunctionName="jobmatch-zip", Qualifier="live")["Policy"])
    want("invoke permission principals", [s["Principal"] for s in policy["Statement"]],
         [{"Service": "apigateway.amazonaws.com"}])

    want("state machines", [m["name"] for m in machines], ["jobmatch-rank"])
    if machines:
        m = sfn.describe_state_machine(stateMachineArn=machines[0]["stateMachineArn"])
        want("state machine role", m["roleArn"], f"arn:aws:iam::{ACCOUNT}:role/jobmatch-rank-sfn")
        rank = json.loads(m["definition"])["States"]["Rank"]
        want("map mode", rank["ItemProcessor"]["ProcessorConfig"], {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"})
        want("item reader", rank["ItemReader"]["Parameters"], {"Bucket": "jobmatch-resumes", "Prefix": "resumes/"})
        want("batch size", rank["ItemBatcher"]["MaxItemsPerBatch"], 40)
        want("concurrency", rank["MaxConcurrency"], 25)
        want("tolerated failures", rank["ToleratedFailurePercentage"], 5)
        want("function invoked", rank["ItemProcessor"]["States"]["Score"]["Parameters"]["FunctionName"],
             f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:jobmatch-image:live")
    grants = json.loads(json.dumps(iam.get_role_policy(RoleName="jobmatch-image", PolicyName="jobmatch-rank-batch")["PolicyDocument"]))
    want("function's batch grants", sorted(a for s in grants["Statement"] for a in
                                           ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])),
         ["s3:GetObject", "s3:PutObject"])

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("check.py: moto holds what main.tf says" if not destroyed else "check.py: destroy left nothing")
