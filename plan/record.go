package plan

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Resource is one registered resource as the mock engine saw it.
type Resource struct {
	Type   string `json:"type"`
	Name   string `json:"name"`
	URN    string `json:"urn"`
	ID     string `json:"id,omitempty"`
	Custom bool   `json:"custom"`
	// Remote marks a component a provider builds (awsx): its children are
	// created by that provider at deploy time and are not recorded here.
	Remote bool `json:"remote,omitempty"`
	// Parent is the parent's URN; "" for children of the stack itself.
	Parent              string   `json:"parent,omitempty"`
	Protect             bool     `json:"protect,omitempty"`
	RetainOnDelete      bool     `json:"retainOnDelete,omitempty"`
	DeleteBeforeReplace bool     `json:"deleteBeforeReplace,omitempty"`
	IgnoreChanges       []string `json:"ignoreChanges,omitempty"`
	ReplaceOnChanges    []string `json:"replaceOnChanges,omitempty"`
	Aliases             []string `json:"aliases,omitempty"`
	// Transforms counts the resource transforms registered with it.
	Transforms   int      `json:"transforms,omitempty"`
	Dependencies []string `json:"dependencies,omitempty"`
	// PropertyDependencies are the resources each input waits on. A
	// dependency in Dependencies that no input names came from dependsOn.
	PropertyDependencies map[string][]string `json:"propertyDependencies,omitempty"`
	// Provider is the explicit provider reference (URN::ID), "" for the
	// default provider.
	Provider string `json:"provider,omitempty"`

	Inputs  resource.PropertyMap `json:"-"`
	Outputs resource.PropertyMap `json:"-"`
}

// Input returns an input as a plain Go value (secrets unwrapped), or nil.
func (r *Resource) Input(key string) any {
	v, ok := r.Inputs[resource.PropertyKey(key)]
	if !ok {
		return nil
	}
	return plain(v)
}

// InputString returns a string input, or "".
func (r *Resource) InputString(key string) string {
	s, _ := r.Input(key).(string)
	return s
}

// PlainInputs returns every input as plain Go values, secrets shown as
// "[secret]", for reports.
func (r *Resource) PlainInputs() map[string]any {
	return maskedMap(r.Inputs)
}

// Invoke is one provider function call.
type Invoke struct {
	Token string         `json:"token"`
	Args  map[string]any `json:"args,omitempty"`
}

// OfflineSafeInvokes are the provider functions that compute their answer
// locally. Any other invoke would call AWS during preview.
var OfflineSafeInvokes = map[string]bool{
	"aws:iam/getPolicyDocument:getPolicyDocument": true,
	"aws:index/getPartition:getPartition":         true,
	"aws:index/getRegion:getRegion":               true,
}

func plain(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return plain(v.SecretValue().Element)
	case v.IsOutput():
		return plain(v.OutputValue().Element)
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = plain(e)
		}
		return out
	case v.IsObject():
		out := map[string]any{}
		for k, e := range v.ObjectValue() {
			out[string(k)] = plain(e)
		}
		return out
	case v.IsResourceReference():
		return string(v.ResourceReferenceValue().URN)
	case v.IsComputed():
		return nil
	default:
		return v.V
	}
}

func maskedMap(m resource.PropertyMap) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[string(k)] = masked(v)
	}
	return out
}

func masked(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return "[secret]"
	case v.IsOutput():
		if v.OutputValue().Secret {
			return "[secret]"
		}
		return masked(v.OutputValue().Element)
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = masked(e)
		}
		return out
	case v.IsObject():
		return maskedMap(v.ObjectValue())
	default:
		return plain(v)
	}
}

// shortType turns "aws:ec2/securityGroup:SecurityGroup" into
// "aws:ec2:SecurityGroup" for compact reports.
func shortType(t string) string {
	parts := strings.Split(t, ":")
	if len(parts) != 3 {
		return t
	}
	module, _, _ := strings.Cut(parts[1], "/")
	return parts[0] + ":" + module + ":" + parts[2]
}
