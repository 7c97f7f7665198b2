package plan

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// FakeAccount is the account ID the mock engine puts in every ARN.
const FakeAccount = "123456789012"

// recorder is the mock engine's resource monitor: it records every resource
// and invoke, and answers with plausible outputs where the program reads them.
type recorder struct {
	project, stack, region string

	mu        sync.Mutex
	resources []*Resource
	byID      map[string]*Resource
	invokes   []Invoke
	// invented holds every value the recorder made up because only AWS
	// knows it (IDs, ARNs, autonamed names, endpoints): the report shows
	// them as known after deploy, never as if they were real.
	invented map[string]bool
}

// invent records a made-up value and returns it.
func (m *recorder) invent(v string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.invented[v] = true
	return v
}

var _ pulumi.MockResourceMonitor = (*recorder)(nil)

func newRecorder(project, stack, region string) *recorder {
	return &recorder{project: project, stack: stack, region: region, byID: map[string]*Resource{}, invented: map[string]bool{FakeAccount: true}}
}

func (m *recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	r := &Resource{
		Type:   args.TypeToken,
		Name:   args.Name,
		Custom: args.Custom,
		Inputs: args.Inputs,
	}
	if rpc := args.RegisterRPC; rpc != nil {
		r.Remote = rpc.GetRemote()
		r.Parent = rpc.GetParent()
		if resource.URN(r.Parent).QualifiedType() == resource.RootStackType {
			r.Parent = ""
		}
		r.Protect = rpc.GetProtect()
		r.RetainOnDelete = rpc.GetRetainOnDelete()
		r.DeleteBeforeReplace = rpc.GetDeleteBeforeReplace()
		r.IgnoreChanges = rpc.GetIgnoreChanges()
		r.ReplaceOnChanges = rpc.GetReplaceOnChanges()
		r.Dependencies = rpc.GetDependencies()
		for k, deps := range rpc.GetPropertyDependencies() {
			if urns := deps.GetUrns(); len(urns) > 0 {
				if r.PropertyDependencies == nil {
					r.PropertyDependencies = map[string][]string{}
				}
				r.PropertyDependencies[k] = urns
			}
		}
		r.Transforms = len(rpc.GetTransforms())
		r.Provider = rpc.GetProvider()
		r.Aliases = m.aliasURNs(r, rpc.GetAliases(), rpc.GetAliasURNs())
	}
	r.URN = m.urn(r.Parent, r.Type, r.Name)

	outputs := args.Inputs.Copy()
	if r.Custom {
		r.ID = m.fakeID(r)
		m.inventOutputs(r, outputs)
	}
	if r.Type == "awsx:ec2:Vpc" {
		m.vpcOutputs(r, outputs)
	}
	r.Outputs = outputs

	m.mu.Lock()
	defer m.mu.Unlock()
	m.resources = append(m.resources, r)
	if r.ID != "" {
		m.byID[r.ID] = r
	}
	return r.ID, outputs, nil
}

// aliasURNs resolves a resource's aliases to the URNs the engine would look
// for in state, as its step generator does (pkg/resource/deploy/
// step_generator.go: collapseAliasToUrn, generateAliases,
// inheritedChildAlias). The mock monitor announces "aliasSpecs", so the Go
// SDK sends specs (name, type, parent, stack, project; each empty field means
// "as now") or plain URNs; an SDK without specs sends collapsed URNs in
// aliasURNs, taken as they are. A child also answers to each of its parent's
// aliases, with the parent's old name swapped into its own name when it
// starts with the parent's. The engine inherits only the parent alias that
// matched the old state; without state every parent alias is a candidate.
func (m *recorder) aliasURNs(r *Resource, aliases []*pulumirpc.Alias, collapsed []string) []string {
	self := m.urn(r.Parent, r.Type, r.Name)
	seen := map[string]bool{}
	var out []string
	add := func(urn string) {
		if urn != "" && urn != self && !seen[urn] {
			seen[urn] = true
			out = append(out, urn)
		}
	}
	m.mu.Lock()
	parentAliases := m.recordedAliases(r.Parent)
	m.mu.Unlock()

	var own []resource.URN
	for _, a := range aliases {
		if urn := a.GetUrn(); urn != "" {
			own = append(own, resource.URN(urn))
			continue
		}
		spec := a.GetSpec()
		if spec == nil {
			continue
		}
		name, typ := spec.GetName(), spec.GetType()
		if name == "" {
			name = r.Name
		}
		if typ == "" {
			typ = r.Type
		}
		stack, project := spec.GetStack(), spec.GetProject()
		if stack == "" {
			stack = m.stack
		}
		if project == "" {
			project = m.project
		}
		// The old parent: the current one unless the spec names one; a
		// named parent that was itself renamed counts under its old URNs.
		parents := []string{r.Parent}
		if p := spec.GetParentUrn(); p != "" {
			m.mu.Lock()
			parents = append([]string{p}, m.recordedAliases(p)...)
			m.mu.Unlock()
		}
		if spec.GetNoParent() {
			parents = []string{""}
		}
		for _, p := range parents {
			parentType := tokens.Type("")
			if p != "" && resource.URN(p).QualifiedType() != resource.RootStackType {
				parentType = resource.URN(p).QualifiedType()
			}
			own = append(own, resource.NewURN(tokens.QName(stack), tokens.PackageName(project), parentType, tokens.Type(typ), name))
		}
	}
	for _, urn := range own {
		add(string(urn))
	}
	for _, urn := range collapsed {
		add(urn)
	}
	if r.Parent != "" {
		parentName := resource.URN(r.Parent).Name()
		inherit := func(childType tokens.Type, childName string, parentAlias resource.URN) string {
			if strings.HasPrefix(childName, parentName) {
				childName = parentAlias.Name() + strings.TrimPrefix(childName, parentName)
			}
			return string(resource.NewURN(parentAlias.Stack(), parentAlias.Project(), parentAlias.QualifiedType(), childType, childName))
		}
		for _, pa := range parentAliases {
			parentAlias := resource.URN(pa)
			add(inherit(tokens.Type(r.Type), r.Name, parentAlias))
			for _, urn := range own {
				add(inherit(urn.Type(), urn.Name(), parentAlias))
			}
		}
	}
	return out
}

// recordedAliases returns the aliases recorded for urn; m.mu must be held.
// A parent registers before its children, so it is always recorded.
func (m *recorder) recordedAliases(urn string) []string {
	if urn == "" {
		return nil
	}
	for _, r := range m.resources {
		if r.URN == urn {
			return r.Aliases
		}
	}
	return nil
}

// urn builds the URN the mock monitor gives a resource.
func (m *recorder) urn(parent, typ, name string) string {
	parentType := tokens.Type("")
	if parent != "" {
		parentType = resource.URN(parent).QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(m.stack), tokens.PackageName(m.project), parentType, tokens.Type(typ), name))
}

// fakeID is stable per resource, so repeated runs give identical output.
func (m *recorder) fakeID(r *Resource) string {
	sum := sha256.Sum256([]byte(r.URN))
	return m.invent(r.Name + "-" + hex.EncodeToString(sum[:4]))
}

// inventOutputs fills in what AWS would compute and the program reads: ARNs
// and autonamed names.
func (m *recorder) inventOutputs(r *Resource, out resource.PropertyMap) {
	name := r.Name + "-" + r.ID[len(r.ID)-7:]
	if p := r.InputString("namePrefix"); p != "" {
		name = p + r.ID[len(r.ID)-7:]
	}
	if _, ok := out["name"]; !ok {
		out["name"] = resource.NewProperty(m.invent(name))
	} else {
		name = r.InputString("name")
	}
	if _, ok := out["arn"]; !ok {
		out["arn"] = resource.NewProperty(m.invent(m.fakeARN(r.Type, name)))
	}
	m.typeOutputs(r, name, out)
}

// typeOutputs invents the type-specific outputs the program reads.
func (m *recorder) typeOutputs(r *Resource, name string, out resource.PropertyMap) {
	set := func(k string, v any) {
		if s, ok := v.(string); ok {
			m.invent(s)
		}
		out[resource.PropertyKey(k)] = resource.NewPropertyValue(v)
	}
	switch r.Type {
	case "aws:s3/bucketV2:BucketV2":
		set("bucket", name)
		set("arn", "arn:aws:s3:::"+name)
		set("bucketRegionalDomainName", fmt.Sprintf("%s.s3.%s.amazonaws.com", name, m.region))
	case "aws:rds/instance:Instance":
		id := r.InputString("identifier")
		set("address", fmt.Sprintf("%s.abcdefghijkl.%s.rds.amazonaws.com", id, m.region))
		set("port", 3306)
		set("resourceId", "db-"+strings.ToUpper(r.ID[len(r.ID)-8:]))
		set("arn", fmt.Sprintf("arn:aws:rds:%s:%s:db:%s", m.region, FakeAccount, id))
		if r.Input("manageMasterUserPassword") == true {
			out["masterUserSecrets"] = resource.NewProperty([]resource.PropertyValue{resource.NewProperty(resource.PropertyMap{
				"secretArn":    resource.NewProperty(m.invent(fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:rds!db-%s-AbCdEf", m.region, FakeAccount, r.ID))),
				"secretStatus": resource.NewProperty("active"),
			})})
		}
	case "aws:elasticache/replicationGroup:ReplicationGroup":
		set("primaryEndpointAddress", fmt.Sprintf("master.%s.abcdef.euc1.cache.amazonaws.com", name))
		set("readerEndpointAddress", fmt.Sprintf("replica.%s.abcdef.euc1.cache.amazonaws.com", name))
	case "aws:ec2/vpcEndpoint:VpcEndpoint":
		if r.InputString("vpcEndpointType") == "Gateway" {
			set("prefixListId", "pl-"+r.ID[len(r.ID)-8:])
		}
	case "aws:lb/loadBalancer:LoadBalancer":
		set("dnsName", fmt.Sprintf("%s-1234567890.%s.elb.amazonaws.com", name, m.region))
	case "aws:secretsmanager/secret:Secret":
		set("arn", fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:%s-AbCdEf", m.region, FakeAccount, name))
	case "aws:ecr/repository:Repository":
		set("arn", fmt.Sprintf("arn:aws:ecr:%s:%s:repository/%s", m.region, FakeAccount, name))
		set("repositoryUrl", fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/%s", FakeAccount, m.region, name))
	case "aws:cloudfront/distribution:Distribution":
		id := "E" + strings.ToUpper(r.ID[len(r.ID)-12:])
		set("domainName", fmt.Sprintf("d%s.cloudfront.net", strings.ToLower(r.ID[len(r.ID)-13:])))
		set("arn", fmt.Sprintf("arn:aws:cloudfront::%s:distribution/%s", FakeAccount, id))
		set("hostedZoneId", "Z2FDTNDATAQYW2")
	case "aws:dynamodb/table:Table":
		set("arn", fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s", m.region, FakeAccount, name))
	case "random:index/randomBytes:RandomBytes":
		// Stand-in bytes, secret as the provider marks them.
		sum := sha256.Sum256([]byte("secret:" + r.Name))
		out["base64"] = resource.MakeSecret(resource.NewProperty(base64.StdEncoding.EncodeToString(sum[:])))
		out["hex"] = resource.MakeSecret(resource.NewProperty(hex.EncodeToString(sum[:])))
	case "random:index/randomPassword:RandomPassword":
		// A stand-in password, secret as the provider marks it, so tests can
		// prove it never appears in plain text anywhere.
		out["result"] = resource.MakeSecret(resource.NewProperty(FakeSecret(r.Name)))
	}
}

// FakeSecret is the stand-in value the mock engine generates for a random
// password; tests search every recorded value for it.
func FakeSecret(name string) string {
	sum := sha256.Sum256([]byte("secret:" + name))
	return "FAKESECRET" + hex.EncodeToString(sum[:])
}

// fakeARN gives the ARN shapes the program parses; others get a generic one.
func (m *recorder) fakeARN(typ, name string) string {
	switch typ {
	case "aws:cloudwatch/logGroup:LogGroup":
		return fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", m.region, FakeAccount, name)
	case "aws:iam/role:Role":
		return fmt.Sprintf("arn:aws:iam::%s:role/%s", FakeAccount, name)
	}
	parts := strings.Split(typ, ":")
	service := "unknown"
	if len(parts) == 3 {
		service, _, _ = strings.Cut(parts[1], "/")
	}
	return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, m.region, FakeAccount, name)
}

// vpcOutputs answers for awsx's remote VPC component: one subnet ID per AZ
// per tier the program asked for.
func (m *recorder) vpcOutputs(r *Resource, out resource.PropertyMap) {
	out["vpcId"] = resource.NewProperty(m.invent("vpc-" + r.Name))
	azs, _ := r.Input("availabilityZoneNames").([]any)
	specs, _ := r.Input("subnetSpecs").([]any)
	ids := map[string][]resource.PropertyValue{"Public": nil, "Private": nil, "Isolated": nil}
	for _, s := range specs {
		spec, _ := s.(map[string]any)
		tier, _ := spec["type"].(string)
		for _, az := range azs {
			ids[tier] = append(ids[tier], resource.NewProperty(m.invent(fmt.Sprintf("subnet-%s-%s", strings.ToLower(tier), az))))
		}
	}
	out["publicSubnetIds"] = resource.NewProperty(ids["Public"])
	out["privateSubnetIds"] = resource.NewProperty(ids["Private"])
	out["isolatedSubnetIds"] = resource.NewProperty(ids["Isolated"])
}

func (m *recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	inv := Invoke{Token: args.Token, Args: maskedMap(args.Args)}
	m.mu.Lock()
	m.invokes = append(m.invokes, inv)
	m.mu.Unlock()

	switch args.Token {
	case "aws:iam/getPolicyDocument:getPolicyDocument":
		doc, err := renderPolicy(args.Args)
		if err != nil {
			return nil, err
		}
		return resource.PropertyMap{"json": resource.NewProperty(doc), "minifiedJson": resource.NewProperty(doc)}, nil
	case "aws:index/getPartition:getPartition":
		return resource.NewPropertyMapFromMap(map[string]any{
			"partition": "aws", "dnsSuffix": "amazonaws.com", "reverseDnsPrefix": "com.amazonaws", "id": "aws",
		}), nil
	case "aws:index/getRegion:getRegion":
		return resource.NewPropertyMapFromMap(map[string]any{"name": m.region, "id": m.region}), nil
	}
	// Anything else would call AWS. It is recorded (the plan and the tests
	// report it) and answered with nothing.
	return resource.PropertyMap{}, nil
}
