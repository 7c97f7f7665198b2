package service

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// containerDefinition is the JSON ECS expects for one container. Field
// names follow the ECS RegisterTaskDefinition API.
type containerDefinition struct {
	Name                   string           `json:"name"`
	Image                  string           `json:"image"`
	Essential              bool             `json:"essential"`
	Command                []string         `json:"command,omitempty"`
	User                   string           `json:"user"`
	ReadonlyRootFilesystem bool             `json:"readonlyRootFilesystem"`
	PortMappings           []portMapping    `json:"portMappings,omitempty"`
	Environment            []nameValue      `json:"environment"`
	Secrets                []secretRef      `json:"secrets"`
	LogConfiguration       logConfiguration `json:"logConfiguration"`
	HealthCheck            *healthCheck     `json:"healthCheck,omitempty"`
	StopTimeout            int              `json:"stopTimeout"`
	LinuxParameters        map[string]any   `json:"linuxParameters"`
	Ulimits                []ulimit         `json:"ulimits,omitempty"`
}

type ulimit struct {
	Name      string `json:"name"`
	SoftLimit int    `json:"softLimit"`
	HardLimit int    `json:"hardLimit"`
}

type portMapping struct {
	Name          string `json:"name"`
	ContainerPort int    `json:"containerPort"`
	Protocol      string `json:"protocol"`
}

type nameValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type secretRef struct {
	Name      string `json:"name"`
	ValueFrom string `json:"valueFrom"`
}

type logConfiguration struct {
	LogDriver string            `json:"logDriver"`
	Options   map[string]string `json:"options"`
}

type healthCheck struct {
	Command     []string `json:"command"`
	Interval    int      `json:"interval"`
	Timeout     int      `json:"timeout"`
	Retries     int      `json:"retries"`
	StartPeriod int      `json:"startPeriod"`
}

// containerDefinitions renders the task's containers. Environment and
// secrets are sorted by name: Go map order must never reach a resource
// input, or every deploy would register a new task definition revision.
func containerDefinitions(name, region string, args *Args, logGroup pulumi.StringOutput) pulumi.StringOutput {
	envNames := slices.Sorted(maps.Keys(args.Environment))
	inputs := []any{args.Image, logGroup}
	for _, k := range envNames {
		inputs = append(inputs, args.Environment[k])
	}
	secrets := append([]Secret(nil), args.Secrets...)
	sort.Slice(secrets, func(i, j int) bool { return secrets[i].Name < secrets[j].Name })
	for _, s := range secrets {
		inputs = append(inputs, s.SecretArn)
	}
	return pulumi.All(inputs...).ApplyT(func(v []any) (string, error) {
		c := containerDefinition{
			Name:                   name,
			Image:                  v[0].(string),
			Essential:              true,
			Command:                args.Command,
			User:                   args.User,
			ReadonlyRootFilesystem: !args.WritableRootFilesystem,
			Environment:            []nameValue{},
			Secrets:                []secretRef{},
			LogConfiguration: logConfiguration{LogDriver: "awslogs", Options: map[string]string{
				"awslogs-group": v[1].(string), "awslogs-region": region, "awslogs-stream-prefix": name,
			}},
			// SIGTERM first, SIGKILL StopTimeoutSeconds later: time to drain.
			StopTimeout: args.StopTimeoutSeconds,
			// tini as PID 1 reaps zombies and forwards signals.
			LinuxParameters: map[string]any{"initProcessEnabled": true},
		}
		if args.OpenFiles > 0 {
			c.Ulimits = []ulimit{{Name: "nofile", SoftLimit: args.OpenFiles, HardLimit: args.OpenFiles}}
		}
		if args.Port > 0 {
			c.PortMappings = []portMapping{{Name: "http", ContainerPort: args.Port, Protocol: "tcp"}}
		}
		for i, k := range envNames {
			c.Environment = append(c.Environment, nameValue{Name: k, Value: v[2+i].(string)})
		}
		offset := 2 + len(envNames)
		for i, s := range secrets {
			from := v[offset+i].(string)
			if s.Key != "" {
				from = fmt.Sprintf("%s:%s::", from, s.Key)
			}
			c.Secrets = append(c.Secrets, secretRef{Name: s.Name, ValueFrom: from})
		}
		if len(args.HealthCheck) > 0 {
			c.HealthCheck = &healthCheck{Command: args.HealthCheck, Interval: 15, Timeout: 5, Retries: 3, StartPeriod: 30}
		}
		b, err := json.Marshal([]containerDefinition{c})
		return string(b), err
	}).(pulumi.StringOutput)
}
