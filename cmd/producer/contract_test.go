package main

import (
	"strings"
	"testing"

	"github.com/pushplatform/pushplatform/internal/settings"
	"github.com/pushplatform/pushplatform/plan/plantest"
)

// producerDefaults are the settings the producer reads that the task
// definition leaves at their defaults on purpose.
var producerDefaults = []string{
	"DOCUMENTS_S3_ENDPOINT", // an S3-compatible server for local runs; AWS's own endpoint in AWS
	"DOCUMENTS_URL_TTL_S",   // links live 5 minutes
	"HTTP_HOST",             // all interfaces: the load balancer reaches the task IP
	"PRODUCER_PIPELINE_MAX", // pipeline size, measured in the benchmarks
	"REDIS_TLS_CA",          // ElastiCache certificates chain to public CAs in the system pool
	"SHUTDOWN_TIMEOUT_S",    // 20 s drain, within the container's 30 s stopTimeout
}

// TestTaskDefinitionMatchesSettings is the contract between the stack and
// the producer: every variable the task definition sets is one the
// producer reads, every variable the producer reads is set or listed above,
// and the values set parse. A rename on either side fails here.
func TestTaskDefinitionMatchesSettings(t *testing.T) {
	for _, stack := range plantest.Stacks {
		c := plantest.TaskContainer(t, plantest.Run(t, stack), "app-producer")
		env := settings.FromMap(plantest.ContainerValues(c))
		if _, err := readConfig(env); err != nil {
			t.Fatalf("%s: the producer rejects its task definition's settings: %v", stack, err)
		}
		plantest.CheckSettingsContract(t, stack+" producer", c, env.Read(), producerDefaults)
	}
}

// Every bad setting is reported at once, the WAIT-with-cluster conflict
// among them.
func TestReadConfigReportsEveryProblem(t *testing.T) {
	_, err := readConfig(settings.FromMap(map[string]string{
		"HTTP_PORT": "0", "CORS_ALLOW_ORIGIN": "not-an-origin", "REDIS_CLUSTER": "true", "REDIS_WAIT_REPLICAS": "1",
		"DOCUMENTS_BUCKET": "docs", "DOCUMENTS_URL_TTL_S": "86400",
	}))
	for _, want := range []string{`HTTP_PORT="0"`, "CORS_ALLOW_ORIGIN", "REDIS_WAIT_REPLICAS=1 needs REDIS_CLUSTER=false",
		`DOCUMENTS_BUCKET="docs" needs AWS_REGION`, "DOCUMENTS_URL_TTL_S"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not mention %s", err, want)
		}
	}
	if _, err := readConfig(settings.FromMap(map[string]string{"REDIS_WAIT_REPLICAS": "1"})); err != nil {
		t.Errorf("WAIT without cluster mode: %v", err)
	}
}
