package plan

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// StackConfig is a stack's configuration exactly as the Pulumi CLI hands it
// to a Go program: every key with its namespace, every value a string
// (objects and arrays as JSON), Pulumi.yaml defaults first and the stack
// file's values over them.
type StackConfig struct {
	Project    string
	Stack      string
	Values     map[string]string
	SecretKeys []string
}

type projectFile struct {
	Name   string                   `yaml:"name"`
	Config map[string]projectConfig `yaml:"config"`
}

type projectConfig struct {
	Type    string `yaml:"type"`
	Default any    `yaml:"default"`
	Value   any    `yaml:"value"`
}

type stackFile struct {
	Config map[string]any `yaml:"config"`
}

// LoadStackConfig reads Pulumi.yaml and Pulumi.<stack>.yaml from dir.
func LoadStackConfig(dir, stack string) (*StackConfig, error) {
	var proj projectFile
	if err := readYAML(filepath.Join(dir, "Pulumi.yaml"), &proj); err != nil {
		return nil, err
	}
	stackPath := filepath.Join(dir, "Pulumi."+stack+".yaml")
	if _, err := os.Stat(stackPath); err != nil {
		return nil, fmt.Errorf("unknown stack %q: there is no %s; known stacks: %s",
			stack, filepath.Base(stackPath), strings.Join(KnownStacks(dir), ", "))
	}
	var st stackFile
	if err := readYAML(stackPath, &st); err != nil {
		return nil, err
	}

	sc := &StackConfig{Project: proj.Name, Stack: stack, Values: map[string]string{}}
	for key, decl := range proj.Config {
		full := key
		if !strings.Contains(key, ":") {
			full = proj.Name + ":" + key
		}
		v := decl.Default
		if v == nil {
			v = decl.Value
		}
		if v == nil {
			continue
		}
		s, err := configString(v)
		if err != nil {
			return nil, fmt.Errorf("Pulumi.yaml config %s: %w", key, err)
		}
		sc.Values[full] = s
	}
	for key, v := range st.Config {
		full := key
		if !strings.Contains(key, ":") {
			full = proj.Name + ":" + key
		}
		if m, ok := v.(map[string]any); ok {
			if _, secure := m["secure"]; secure && len(m) == 1 {
				// Ciphertext cannot be decrypted offline: hand the program a
				// marked stand-in so it still sees the key, as a secret.
				sc.Values[full] = "[offline stand-in for a secret]"
				sc.SecretKeys = append(sc.SecretKeys, full)
				continue
			}
		}
		s, err := configString(v)
		if err != nil {
			return nil, fmt.Errorf("%s config %s: %w", filepath.Base(stackPath), key, err)
		}
		sc.Values[full] = s
	}
	sort.Strings(sc.SecretKeys)
	return sc, nil
}

// KnownStacks lists the stacks that have a Pulumi.<stack>.yaml in dir.
func KnownStacks(dir string) []string {
	matches, _ := filepath.Glob(filepath.Join(dir, "Pulumi.*.yaml"))
	stacks := make([]string, 0, len(matches))
	for _, m := range matches {
		stacks = append(stacks, strings.TrimSuffix(strings.TrimPrefix(filepath.Base(m), "Pulumi."), ".yaml"))
	}
	sort.Strings(stacks)
	return stacks
}

// configString renders a YAML value the way the CLI passes it on.
func configString(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case int:
		return strconv.Itoa(x), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	default:
		b, err := json.Marshal(x)
		if err != nil {
			return "", fmt.Errorf("cannot encode %v as JSON: %w", x, err)
		}
		return string(b), nil
	}
}

func readYAML(path string, out any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(b, out); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// Env renders the config as the PULUMI_CONFIG and PULUMI_CONFIG_SECRET_KEYS
// environment values.
func (sc *StackConfig) Env() (config, secretKeys string) {
	c, _ := json.Marshal(sc.Values)
	keys := sc.SecretKeys
	if keys == nil {
		keys = []string{}
	}
	s, _ := json.Marshal(keys)
	return string(c), string(s)
}

// Clone returns a deep copy, for tests that change one key.
func (sc *StackConfig) Clone() *StackConfig {
	c := *sc
	c.Values = make(map[string]string, len(sc.Values))
	for k, v := range sc.Values {
		c.Values[k] = v
	}
	c.SecretKeys = append([]string(nil), sc.SecretKeys...)
	return &c
}

// UseFixtureArtifacts switches the artifacts to stand-ins, so the run builds
// no image and compiles no function: what the offline plan and the tests do.
// Prebuilt references go with it (fixture mode reads none). Validate the
// configured artifacts first (config.Resolve on the values as committed):
// this replaces them.
func (sc *StackConfig) UseFixtureArtifacts() error {
	key := sc.Project + ":artifacts"
	m := map[string]any{}
	if raw, ok := sc.Values[key]; ok && raw != "" {
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			return fmt.Errorf("%s is not an object: %w", key, err)
		}
	}
	m["mode"] = "fixture"
	delete(m, "images")
	delete(m, "packages")
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	sc.Values[key] = string(b)
	return nil
}
