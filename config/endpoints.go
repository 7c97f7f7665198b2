package config

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// InterfaceServices are the AWS services an interface VPC endpoint may be
// made for (network.interfaceEndpoints), each with why a workload here
// calls it. Names are the last part of com.amazonaws.<region>.<name>
// (AWS PrivateLink service names; Firehose's is kinesis-firehose).
var InterfaceServices = map[string]string{
	"ecr.api":          "ECR API: image manifests and the registry login (Fargate platform 1.4.0 pulls)",
	"ecr.dkr":          "ECR Docker registry: image pulls (layers come from S3 through the gateway endpoint)",
	"logs":             "CloudWatch Logs: the awslogs driver and Lambda function logs",
	"secretsmanager":   "Secrets Manager: task secrets injection and the migration's reads",
	"monitoring":       "CloudWatch metrics: the consumer's backlog metric (PutMetricData)",
	"kinesis-firehose": "Firehose: push-message records (log processing)",
	"sts":              "STS, only for code that calls it itself",
	"kms":              "KMS, only for code that calls it itself",
	"ssm":              "Systems Manager Parameter Store references",
}

// DefaultInterfaceEndpoints are what the apps call today: image pulls,
// logs, secrets and the backlog metric.
var DefaultInterfaceEndpoints = []string{"ecr.api", "ecr.dkr", "kinesis-firehose", "logs", "monitoring", "secretsmanager"}

// resolveInterfaceEndpoints checks network.interfaceEndpoints: known
// services, each once, sorted so the resources never reorder.
func resolveInterfaceEndpoints(in []string, def []string, errs *Errors) []string {
	if in == nil {
		return slices.Clone(def)
	}
	known := slices.Sorted(maps.Keys(InterfaceServices))
	seen := map[string]bool{}
	for i, svc := range in {
		key := fmt.Sprintf("network.interfaceEndpoints[%d]", i)
		switch {
		case InterfaceServices[svc] == "":
			problem := "unknown service; allowed: " + strings.Join(known, ", ")
			if s := closest(svc, known); s != "" {
				problem += "; did you mean " + s + "?"
			} else if strings.Contains(svc, "firehose") {
				problem += "; Firehose's endpoint service is kinesis-firehose"
			}
			errs.add(key, quote(svc), "%s", problem)
		case seen[svc]:
			errs.add(key, quote(svc), "is listed twice; each endpoint once")
		}
		seen[svc] = true
	}
	out := slices.Clone(in)
	slices.Sort(out)
	return slices.Compact(out)
}

// missingEndpoints lists the services the workloads call (the default
// list) that have no endpoint.
func missingEndpoints(have []string) []string {
	var missing []string
	for _, svc := range DefaultInterfaceEndpoints {
		// Firehose is needed only with log records (resolveLogs checks).
		if svc != FirehoseEndpoint && !slices.Contains(have, svc) {
			missing = append(missing, svc)
		}
	}
	return missing
}
