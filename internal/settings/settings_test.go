package settings

import (
	"strings"
	"testing"
)

func TestProblemsNameTheVariableAndTheValue(t *testing.T) {
	e := FromMap(map[string]string{"HTTP_PORT": "eighty", "REDIS_TLS": "maybe", "DB_PORT": "70000", "DB_PASSWORD": "hunter2hunter2"})
	if got := e.Int("HTTP_PORT", 5080, 1, 65535); got != 5080 {
		t.Errorf("bad HTTP_PORT read as %d, want the default", got)
	}
	e.Bool("REDIS_TLS", false)
	e.Int("DB_PORT", 3306, 1, 65535)
	_ = e.Secret("DB_PASSWORD")
	e.Require("REDIS_HOST")
	err := e.Err()
	if err == nil {
		t.Fatal("no error for bad settings")
	}
	for _, want := range []string{`HTTP_PORT="eighty"`, "1 to 65535", `REDIS_TLS="maybe"`, `DB_PORT="70000"`, "REDIS_HOST is not set"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Error("a secret value reached the error")
	}
}

func TestDefaultsAndValues(t *testing.T) {
	e := FromMap(map[string]string{"A": "7", "B": "yes", "C": ""})
	if e.Int("A", 1, 0, 10) != 7 || !e.Bool("B", false) || e.String("C", "def") != "def" || e.Err() != nil {
		t.Fatalf("unexpected values or error %v", e.Err())
	}
}
