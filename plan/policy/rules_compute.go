package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pushplatform/pushplatform/plan"
)

var ecsRules = []Rule{
	{ID: "ECS.1", Title: "ECS task definitions use secure networking modes and user definitions", Severity: High, Types: []string{tTaskDef},
		Fix: "keep networkMode awsvpc; with host networking, set a non-root user and no privileged containers",
		Check: func(_ *Stack, r *plan.Resource) []string {
			if str(r, "networkMode") != "host" {
				return nil
			}
			var out []string
			for _, c := range containers(r) {
				if priv, _ := c["privileged"].(bool); priv || isRoot(c) {
					out = append(out, fmt.Sprintf("container %v: host networking with a root or privileged user", c["name"]))
				}
			}
			return out
		}},
	{ID: "ECS.2", Title: "ECS services do not have public IP addresses assigned automatically", Severity: High, Types: []string{tService},
		Fix: "set networkConfiguration.assignPublicIp false; tasks live in the private subnets",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(boolean(r, "networkConfiguration.assignPublicIp"), "assignPublicIp is true")
		}},
	{ID: "ECS.3", Title: "ECS task definitions do not share the host's process namespace", Severity: High, Types: []string{tTaskDef},
		Fix: "remove pidMode host",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(str(r, "pidMode") == "host", "pidMode is host")
		}},
	{ID: "ECS.4", Title: "ECS containers run as non-privileged", Severity: High, Types: []string{tTaskDef},
		Fix: "remove privileged from the container definition",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return perContainer(r, func(c map[string]any) string {
				if p, _ := c["privileged"].(bool); p {
					return "privileged is true"
				}
				return ""
			})
		}},
	{ID: "ECS.5", Title: "ECS containers are limited to read-only access to root filesystems", Severity: High, Types: []string{tTaskDef},
		Fix: "set readonlyRootFilesystem true (service block: a tmpfs-free image writes nothing)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return perContainer(r, func(c map[string]any) string {
				if ro, _ := c["readonlyRootFilesystem"].(bool); !ro {
					return "readonlyRootFilesystem is not true"
				}
				return ""
			})
		}},
	{ID: "ECS.8", Title: "Secrets are not passed as container environment variables", Severity: High, Types: []string{tTaskDef},
		Fix: "pass credentials through the container's secrets (Secrets Manager), never environment",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return perContainer(r, func(c map[string]any) string {
				for _, e := range objects(c["environment"]) {
					if name, _ := e["name"].(string); slices.Contains([]string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA"}, name) || secretName(name) {
						return fmt.Sprintf("environment variable %s holds a credential", name)
					}
				}
				return ""
			})
		}},
	{ID: "ECS.9", Title: "ECS task definitions have a logging configuration", Severity: High, Types: []string{tTaskDef},
		Fix: "give every container a logConfiguration (awslogs to the service's log group)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return perContainer(r, func(c map[string]any) string {
				if lc, _ := c["logConfiguration"].(map[string]any); lc == nil || lc["logDriver"] == "" {
					return "no logConfiguration"
				}
				return ""
			})
		}},
	{ID: "ECS.10", Title: "ECS Fargate services run on the latest Fargate platform version", Severity: Medium, Types: []string{tService},
		Fix: "leave platformVersion unset (LATEST)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			v := str(r, "platformVersion")
			return onlyIf(v != "" && v != "LATEST", fmt.Sprintf("platformVersion is pinned to %s", v))
		}},
	{ID: "ECS.12", Title: "ECS clusters use Container Insights", Severity: Medium, Types: []string{tCluster},
		Fix: "set cluster.containerInsights enabled or enhanced",
		Check: func(_ *Stack, r *plan.Resource) []string {
			for _, s := range objects(r.Input("settings")) {
				if s["name"] == "containerInsights" && (s["value"] == "enabled" || s["value"] == "enhanced") {
					return nil
				}
			}
			return []string{"containerInsights is not enabled"}
		}},
	{ID: "PP.ECS.1", Title: "ECS containers run as a non-root user (AWS Config rule ecs-task-definition-linux-user-non-root)", Severity: Medium, Types: []string{tTaskDef},
		Fix: "set the container's user to an unprivileged UID:GID (the images use 65532)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return perContainer(r, func(c map[string]any) string {
				if isRoot(c) {
					return fmt.Sprintf("user is %q (root)", c["user"])
				}
				return ""
			})
		}},
	{ID: "PP.ECS.2", Title: "ECS services roll back failed deployments", Severity: Medium, Types: []string{tService},
		Fix: "set deploymentCircuitBreaker {enable: true, rollback: true}",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(!boolean(r, "deploymentCircuitBreaker.enable") || !boolean(r, "deploymentCircuitBreaker.rollback"), "no deployment circuit breaker with rollback")
		}},
}

var lambdaRules = []Rule{
	{ID: "Lambda.1", Title: "Lambda function policies prohibit public access", Severity: Critical, Types: []string{tPermission},
		Fix: "grant a service principal with sourceArn and sourceAccount, never *",
		Check: func(_ *Stack, r *plan.Resource) []string {
			p := str(r, "principal")
			if p == "*" {
				return []string{"principal is *"}
			}
			return onlyIf(strings.HasSuffix(p, ".amazonaws.com") && (str(r, "sourceArn") == "" || str(r, "sourceAccount") == "" && p == "s3.amazonaws.com"),
				fmt.Sprintf("service principal %s without sourceArn/sourceAccount: any account's resource could invoke it", p))
		}},
	{ID: "Lambda.2", Title: "Lambda functions use supported runtimes", Severity: Medium, Types: []string{tFunction},
		Fix: "use provided.al2023 (Go) or another runtime AWS still supports",
		Check: func(_ *Stack, r *plan.Resource) []string {
			rt := str(r, "runtime")
			return onlyIf(rt != "" && !slices.Contains(supportedRuntimes, rt), fmt.Sprintf("runtime %s is deprecated or unknown", rt))
		}},
	{ID: "Lambda.3", Title: "Lambda functions are in a VPC", Severity: Low, Types: []string{tFunction},
		Fix: "give the function a vpcConfig in the private subnets",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(len(strings_(get(r, "vpcConfig.subnetIds"))) == 0, "no vpcConfig")
		}},
	{ID: "Lambda.5", Title: "VPC Lambda functions operate in multiple Availability Zones", Severity: Medium, Types: []string{tFunction},
		Fix: "list a subnet in each AZ in vpcConfig.subnetIds",
		Check: func(_ *Stack, r *plan.Resource) []string {
			n := len(strings_(get(r, "vpcConfig.subnetIds")))
			return onlyIf(n == 1, "vpcConfig has one subnet")
		}},
}

// supportedRuntimes are Lambda runtimes not deprecated as of 2026-12: the
// Amazon Linux 2023 ones (AWS Lambda developer guide, "Lambda runtimes").
// Left out, deprecated by then: nodejs20.x (2026-04-30), dotnet8
// (2026-11-10), and the Amazon Linux 2 runtimes provided.al2, python3.11
// and java17, which go with Amazon Linux 2's end of support on 2026-06-30
// (dates from endoflife.date's Lambda table and AWS notices; the AL2
// dates are unverified here).
var supportedRuntimes = []string{
	"provided.al2023", "nodejs24.x", "nodejs22.x", "python3.14", "python3.13", "python3.12",
	"java25", "java21", "dotnet10", "ruby3.4", "ruby3.3",
}

func perContainer(r *plan.Resource, check func(map[string]any) string) []string {
	var out []string
	for _, c := range containers(r) {
		if p := check(c); p != "" {
			out = append(out, fmt.Sprintf("container %v: %s", c["name"], p))
		}
	}
	return out
}

func isRoot(c map[string]any) bool {
	u, _ := c["user"].(string)
	return u == "" || u == "root" || u == "0" || strings.HasPrefix(u, "0:") || strings.HasPrefix(u, "root:")
}

// secretName reports an environment variable name that says it carries a
// credential (not a reference to one: *_ARN, *_SECRET_ID, *_KEY_ID).
func secretName(name string) bool {
	n := strings.ToUpper(name)
	for _, ref := range []string{"_ARN", "_SECRET_ID", "_KEY_ID", "_FILE", "_PATH", "_NAME"} {
		if strings.HasSuffix(n, ref) {
			return false
		}
	}
	for _, w := range []string{"PASSWORD", "PASSWD", "SECRET", "TOKEN", "PRIVATE_KEY", "CRYPTO_KEY", "API_KEY"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}
