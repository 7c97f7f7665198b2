package policy

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/pushplatform/pushplatform/plan"
)

// statefulTypes hold data, or a key to data, that a replacement or a
// delete would lose.
var statefulTypes = []string{tRDS, tCache, tTable, tBucket, tSecret, tSecretVersion, tPassword, tRandomBytes, tRepository}

// secretInputs are inputs that carry a credential and must be secret
// values, whatever resource holds them.
var secretInputs = []string{"password", "masterPassword", "authToken", "secretString", "secretBinary"}

// requiredTags are the default tags every provider stamps on what it
// creates (cost allocation and ownership).
var requiredTags = []string{"Project", "Stack", "ManagedBy"}

var projectRules = []Rule{
	{ID: "PP.DATA.1", Title: "Stateful resources are protected and retained on delete", Severity: High, Types: statefulTypes,
		Fix: "set the component's protect (database.protect, cache.protect, tables.protect, buckets.protect, artifacts.protect) true",
		Check: func(_ *Stack, r *plan.Resource) []string {
			var missing []string
			if !r.Protect {
				missing = append(missing, "protect (a destroy or refactor may delete it)")
			}
			if !r.RetainOnDelete {
				missing = append(missing, "retainOnDelete (dropping it from the program deletes it in AWS)")
			}
			return onlyIf(len(missing) > 0, "lacks "+strings.Join(missing, " and "))
		}},
	{ID: "PP.DATA.2", Title: "Deleting a store keeps a final snapshot; secrets keep a recovery window", Severity: High, Types: []string{tRDS, tCache, tSecret},
		Fix: "RDS: skipFinalSnapshot false with a finalSnapshotIdentifier; cache: a finalSnapshotIdentifier; secrets: recoveryWindowInDays 7 or more",
		Check: func(_ *Stack, r *plan.Resource) []string {
			switch r.Type {
			case tRDS:
				return onlyIf(boolean(r, "skipFinalSnapshot") || str(r, "finalSnapshotIdentifier") == "", "no final snapshot on delete")
			case tCache:
				return onlyIf(str(r, "finalSnapshotIdentifier") == "", "no final snapshot on delete")
			}
			days, set := r.Input("recoveryWindowInDays").(float64)
			return onlyIf(set && days < 7, fmt.Sprintf("recoveryWindowInDays is %g: a deleted secret is gone at once", days))
		}},
	{ID: "PP.SECRET.1", Title: "No secret appears in plain text in any input, environment, output or config", Severity: Critical,
		Fix: "pass it as a secret (pulumi.ToSecret, config set --secret) or through Secrets Manager",
		Check: func(s *Stack, _ *plan.Resource) []string {
			out := leakedSecretValues(s)
			for _, r := range s.Res.Resources {
				for _, k := range secretInputs {
					if v, ok := r.Inputs[propertyKey(k)]; ok && !v.IsNull() && !v.IsComputed() && !isSecret(v) && r.Custom {
						out = append(out, fmt.Sprintf("%s %s: input %s is not a secret", shortType(r.Type), r.Name, k))
					}
				}
				for name := range lambdaEnv(r) {
					if secretName(name) {
						out = append(out, fmt.Sprintf("%s %s: environment variable %s holds a credential", shortType(r.Type), r.Name, name))
					}
				}
				if r.Type == tTaskDef {
					for _, c := range containers(r) {
						for _, e := range objects(c["environment"]) {
							if name, _ := e["name"].(string); secretName(name) {
								out = append(out, fmt.Sprintf("%s %s: container %v environment %s holds a credential", shortType(r.Type), r.Name, c["name"], name))
							}
						}
					}
				}
			}
			for name, v := range s.Res.Outputs {
				if secretName(strings.ToUpper(name)) && !strings.HasSuffix(strings.ToLower(name), "arn") && v != "[secret]" {
					out = append(out, fmt.Sprintf("stack output %s is not a secret", name))
				}
			}
			for key, v := range s.Values {
				_, name, _ := strings.Cut(key, ":")
				if v != "" && secretName(strings.ToUpper(camelToSnake(name))) && !slices.Contains(s.SecretKeys, key) {
					out = append(out, fmt.Sprintf("config %s is in plain text in the stack file", key))
				}
			}
			sort.Strings(out)
			return out
		}},
	{ID: "PP.TAG.1", Title: "Every provider tags what it creates (Project, Stack, ManagedBy)", Severity: Low,
		Fix: "set aws:defaultTags.tags in the stack file; explicit providers copy it",
		Check: func(s *Stack, _ *plan.Resource) []string {
			var out []string
			if missing := missingTags(s.Values["aws:defaultTags"]); len(missing) > 0 {
				out = append(out, fmt.Sprintf("aws:defaultTags lacks %v: the default provider tags nothing", missing))
			}
			for _, p := range s.Res.OfType(tProvider) {
				tags, _ := get(p, "defaultTags.tags").(map[string]any)
				for _, t := range requiredTags {
					if _, ok := tags[t]; !ok {
						out = append(out, fmt.Sprintf("provider %s has no default tag %s", p.Name, t))
					}
				}
			}
			return out
		}},
	{ID: "PP.KMS.1", Title: "Data at rest is encrypted with customer-managed KMS keys", Severity: Low,
		Types: []string{tRDS, tCache, tTable, tQueue, tSecret, tRepository, tFirehose, tLogGroup, tFunction},
		Fix:   "create a KMS key per data class and set kmsKeyId/kmsKeyArn on the resource (a function's environment: kmsKeyArn, checkov CKV_AWS_173; Performance Insights: performanceInsightsKmsKeyId, CKV_AWS_354)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			switch r.Type {
			case tFunction:
				// Only a function with an environment holds data at rest.
				if vars, _ := get(r, "environment.variables").(map[string]any); len(vars) == 0 || str(r, "kmsKeyArn") != "" {
					return nil
				}
				return []string{"its environment is encrypted with the AWS-managed Lambda key, not a customer-managed one"}
			case tRDS:
				if boolean(r, "performanceInsightsEnabled") && str(r, "performanceInsightsKmsKeyId") == "" {
					if str(r, "kmsKeyId") == "" {
						return []string{"storage and Performance Insights are encrypted with the AWS-managed RDS key, not a customer-managed one"}
					}
					return []string{"Performance Insights is encrypted with the AWS-managed key, not a customer-managed one"}
				}
			}
			for _, path := range []string{"kmsKeyId", "kmsKeyArn", "kmsMasterKeyId", "serverSideEncryption.kmsKeyArn", "serverSideEncryption.keyArn"} {
				if str(r, path) != "" {
					return nil
				}
			}
			for _, e := range objects(r.Input("encryptionConfigurations")) {
				if e["kmsKey"] != nil && e["kmsKey"] != "" {
					return nil
				}
			}
			return []string{"encrypted with an AWS-owned or AWS-managed key, not a customer-managed one"}
		}},
	{ID: "PP.DDB.1", Title: "DynamoDB tables declare server-side encryption with KMS", Severity: Low, Types: []string{tTable},
		Fix: "set serverSideEncryption.enabled true (AWS-managed key aws/dynamodb, or a kmsKeyArn)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(!boolean(r, "serverSideEncryption.enabled"), "serverSideEncryption is off: the AWS-owned key, invisible in CloudTrail")
		}},
	{ID: "PP.RDS.1", Title: "RDS MySQL requires TLS from clients", Severity: High, Types: []string{"aws:rds/parameterGroup:ParameterGroup"},
		Fix: "set require_secure_transport 1 in the instance's parameter group",
		Check: func(_ *Stack, r *plan.Resource) []string {
			if !strings.HasPrefix(str(r, "family"), "mysql") {
				return nil
			}
			for _, p := range objects(r.Input("parameters")) {
				if p["name"] == "require_secure_transport" && (p["value"] == "1" || strings.EqualFold(fmt.Sprint(p["value"]), "ON")) {
					return nil
				}
			}
			return []string{"require_secure_transport is not 1"}
		}},
	{ID: "PP.LAMBDA.1", Title: "Event-triggered functions have reserved concurrency and a failure destination", Severity: Medium, Types: []string{tFunction},
		Fix: "set reservedConcurrentExecutions, and a FunctionEventInvokeConfig onFailure destination (or a dead-letter queue)",
		Check: func(s *Stack, r *plan.Resource) []string {
			if len(s.companions(tPermission, "function", r)) == 0 {
				return nil // invoked by the program or a person, not by events
			}
			var out []string
			if num(r, "reservedConcurrentExecutions") <= 0 {
				out = append(out, "no reserved concurrency: an event burst can starve every other function in the account")
			}
			hasDest := str(r, "deadLetterConfig.targetArn") != ""
			for _, c := range s.companions("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "functionName", r) {
				hasDest = hasDest || str(c, "destinationConfig.onFailure.destination") != ""
			}
			if !hasDest {
				out = append(out, "no failure destination: events that exhaust their retries are lost")
			}
			return out
		}},
	{ID: "PP.ECS.3", Title: "ECS tasks use a task role apart from the execution role", Severity: Medium, Types: []string{tTaskDef},
		Fix: "give the task definition its own taskRoleArn; the execution role only pulls images and reads secrets",
		Check: func(_ *Stack, r *plan.Resource) []string {
			task, exec := str(r, "taskRoleArn"), str(r, "executionRoleArn")
			return onlyIf(task != "" && task == exec, "taskRoleArn equals executionRoleArn")
		}},
}

func missingTags(raw string) []string {
	var out []string
	for _, t := range requiredTags {
		if !strings.Contains(raw, `"`+t+`"`) {
			out = append(out, t)
		}
	}
	return out
}

// lambdaEnv returns a function's environment variables.
func lambdaEnv(r *plan.Resource) map[string]any {
	if r.Type != tFunction {
		return nil
	}
	env, _ := get(r, "environment.variables").(map[string]any)
	return env
}

func camelToSnake(s string) string {
	var b strings.Builder
	for i, c := range s {
		if c >= 'A' && c <= 'Z' && i > 0 {
			b.WriteByte('_')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// shortType turns "aws:rds/instance:Instance" into "aws:rds:Instance".
func shortType(t string) string {
	parts := strings.Split(t, ":")
	if len(parts) != 3 {
		return t
	}
	module, _, _ := strings.Cut(parts[1], "/")
	return parts[0] + ":" + module + ":" + parts[2]
}

// leakedSecretValues finds every value the run holds as a secret (a
// secret input anywhere) that also appears in plain text in any input of
// any resource, or in a stack output: a secret copied into a tag, a
// description, an environment variable or a policy.
func leakedSecretValues(s *Stack) []string {
	secrets := map[string]bool{}
	for _, r := range s.Res.Resources {
		for _, v := range r.Inputs {
			eachString(v, false, func(str string, secret bool) {
				if secret && len(str) >= 8 {
					secrets[str] = true
				}
			})
		}
	}
	var out []string
	scan := func(where string, v resource.PropertyValue) {
		eachString(v, false, func(str string, secret bool) {
			if secret {
				return
			}
			for value := range secrets {
				if strings.Contains(str, value) {
					out = append(out, where+" holds a secret value in plain text")
					return
				}
			}
		})
	}
	for _, r := range s.Res.Resources {
		for k, v := range r.Inputs {
			scan(fmt.Sprintf("%s %s: input %s", shortType(r.Type), r.Name, k), v)
		}
	}
	for name, v := range s.Res.Outputs {
		if str, ok := v.(string); ok {
			scan("stack output "+name, resource.NewProperty(str))
		}
	}
	return out
}

// eachString calls visit with every string inside v and whether it sits
// inside a secret (a secret value or a secret output).
func eachString(v resource.PropertyValue, inSecret bool, visit func(s string, secret bool)) {
	switch {
	case v.IsSecret():
		eachString(v.SecretValue().Element, true, visit)
	case v.IsOutput():
		eachString(v.OutputValue().Element, inSecret || v.OutputValue().Secret, visit)
	case v.IsArray():
		for _, e := range v.ArrayValue() {
			eachString(e, inSecret, visit)
		}
	case v.IsObject():
		for _, e := range v.ObjectValue() {
			eachString(e, inSecret, visit)
		}
	case v.IsString():
		visit(v.StringValue(), inSecret)
	}
}
