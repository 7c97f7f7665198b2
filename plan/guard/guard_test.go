package guard

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components"
	"github.com/pushplatform/pushplatform/plan"
	"github.com/pushplatform/pushplatform/plan/plantest"
)

const (
	tDB    = "aws:rds/instance:Instance"
	dbName = "datastores-mysql"
)

// baseline saves a run of a committed stack as the JSON plan and loads it.
func baseline(t *testing.T, stack string) *Baseline {
	t.Helper()
	data, err := json.Marshal(plan.NewReport(plantest.Run(t, stack), nil))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), stack+".json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func check(t *testing.T, base *Baseline, res *plan.Result) *Report {
	t.Helper()
	rep, err := Check(base, res)
	if err != nil {
		t.Fatal(err)
	}
	var text, md bytes.Buffer
	rep.WriteText(&text)
	rep.WriteMarkdown(&md)
	t.Log("\n" + text.String())
	for _, f := range rep.Failures {
		for _, out := range []string{text.String(), md.String()} {
			if !strings.Contains(out, f.Type) || !strings.Contains(out, f.Name) || !strings.Contains(out, f.URN) {
				t.Errorf("the rendering does not name %s %s %s", f.Type, f.Name, f.URN)
			}
		}
	}
	return rep
}

// withTransform runs the program with a stack transformation applied to
// the database instance. (ctx.RegisterResourceTransform is carried out by
// the engine, which the mock monitor does not do; the older SDK-side
// transformation is. Neither can change a name: a new parent changes the
// URN as a new name does.)
func withTransform(t *testing.T, stack string, edit func(args *pulumi.ResourceTransformationArgs) *pulumi.ResourceTransformationResult) *plan.Result {
	t.Helper()
	res, err := plan.Run(plantest.Config(t, stack), func(ctx *pulumi.Context) error {
		if err := ctx.RegisterStackTransformation(func(args *pulumi.ResourceTransformationArgs) *pulumi.ResourceTransformationResult {
			if args.Type == tDB && args.Name == dbName {
				return edit(args)
			}
			return nil
		}); err != nil {
			return err
		}
		return components.Stack(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// renamedBase is the baseline as main would have it had the database been
// called oldName there: the program's own rename, seen from the branch.
// (No transform can rename a resource or change its parent, so the rename
// is made on the saved side.)
func renamedBase(t *testing.T, base *Baseline, oldName string) (*Baseline, string) {
	t.Helper()
	out := *base
	out.Resources = append([]plan.ResourceView(nil), base.Resources...)
	for i, r := range out.Resources {
		if r.Type == tDB && r.Name == dbName {
			r.Name = oldName
			r.URN = strings.TrimSuffix(r.URN, dbName) + oldName
			out.Resources[i] = r
			return &out, r.URN
		}
	}
	t.Fatal("no database in the baseline")
	return nil, ""
}

func withAliases(aliases ...pulumi.Alias) func(args *pulumi.ResourceTransformationArgs) *pulumi.ResourceTransformationResult {
	return func(args *pulumi.ResourceTransformationArgs) *pulumi.ResourceTransformationResult {
		return &pulumi.ResourceTransformationResult{Props: args.Props, Opts: append(args.Opts, pulumi.Aliases(aliases))}
	}
}

func failure(rep *Report, name, input string) *Finding {
	for i, f := range rep.Failures {
		if f.Name == name && f.Input == input {
			return &rep.Failures[i]
		}
	}
	return nil
}

// TestUnchangedStacksPass: each committed stack compared with itself.
func TestUnchangedStacksPass(t *testing.T) {
	for _, stack := range plantest.Stacks {
		rep := check(t, baseline(t, stack), plantest.Run(t, stack))
		if rep.Failed() || len(rep.Notes) != 0 {
			t.Errorf("%s: the unchanged stack fails or has notes: %+v %+v", stack, rep.Failures, rep.Notes)
		}
		// The database, cache, 3 tables, 5 buckets, 4 secrets and versions,
		// 3 passwords, the crypto key, 5 repositories, the delivery stream,
		// the queue, 2 subnet groups and the parameter group (prod; dev has
		// the same stores).
		if rep.Checked < 30 {
			t.Errorf("%s: compared %d stateful resources, want at least 30", stack, rep.Checked)
		}
	}
}

// TestRenamedWithoutAliasFails: main called the database datastores-db;
// the branch calls it datastores-mysql without an alias, so Pulumi would
// delete the old one and create a new one.
func TestRenamedWithoutAliasFails(t *testing.T) {
	for _, stack := range plantest.Stacks {
		base, oldURN := renamedBase(t, baseline(t, stack), "datastores-db")
		res := plantest.Run(t, stack)
		rep := check(t, base, res)
		f := failure(rep, "datastores-db", "")
		if !rep.Failed() || f == nil || f.URN != oldURN {
			t.Fatalf("%s: the renamed database is not reported: %+v", stack, rep.Failures)
		}
		if newURN := res.Named(tDB, dbName).URN; !strings.Contains(f.Reason, "deleted") || !strings.Contains(f.Reason, newURN) {
			t.Errorf("%s: the reason names neither the deletion nor the new URN %s: %s", stack, newURN, f.Reason)
		}
		if len(rep.Failures) != 1 {
			t.Errorf("%s: only the database was renamed, got %+v", stack, rep.Failures)
		}
	}
}

// TestRenamedWithAliasPasses: the same rename with an alias, as a spec
// (the old name) and as the old URN; and a move out of a parent, aliased
// with noParent.
func TestRenamedWithAliasPasses(t *testing.T) {
	base := baseline(t, "prod")
	renamed, oldURN := renamedBase(t, base, "datastores-db")
	for what, alias := range map[string]pulumi.Alias{
		"old name": {Name: pulumi.String("datastores-db")},
		"old URN":  {URN: pulumi.URN(oldURN)},
	} {
		if rep := check(t, renamed, withTransform(t, "prod", withAliases(alias))); rep.Failed() {
			t.Errorf("%s: an aliased rename fails: %+v", what, rep.Failures)
		}
	}
	// main had the database at the top of the stack.
	moved := *base
	moved.Resources = append([]plan.ResourceView(nil), base.Resources...)
	for i, r := range moved.Resources {
		if r.Type == tDB && r.Name == dbName {
			r.URN, r.Parent = "urn:pulumi:prod::pushplatform::"+tDB+"::"+dbName, ""
			moved.Resources[i] = r
		}
	}
	if rep := check(t, &moved, plantest.Run(t, "prod")); failure(rep, dbName, "") == nil {
		t.Errorf("a move into a component without an alias passes: %+v", rep.Failures)
	}
	if rep := check(t, &moved, withTransform(t, "prod", withAliases(pulumi.Alias{NoParent: pulumi.Bool(true)}))); rep.Failed() {
		t.Errorf("a move aliased with noParent fails: %+v", rep.Failures)
	}
}

// database edits the database config of a stack.
func database(t *testing.T, stack string, set map[string]any) *plan.Result {
	t.Helper()
	res, err := plantest.RunWith(t, stack, func(v map[string]string) {
		db := map[string]any{}
		if old := v["pushplatform:database"]; old != "" {
			if err := json.Unmarshal([]byte(old), &db); err != nil {
				t.Fatal(err)
			}
		}
		for k, x := range set {
			db[k] = x
		}
		b, _ := json.Marshal(db)
		v["pushplatform:database"] = string(b)
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestReplaceOnlyInputFails changes the master user name and the storage
// encryption (transforms): each would replace the database.
func TestReplaceOnlyInputFails(t *testing.T) {
	for _, stack := range plantest.Stacks {
		base := baseline(t, stack)
		rep := check(t, base, withTransform(t, stack, func(args *pulumi.ResourceTransformationArgs) *pulumi.ResourceTransformationResult {
			props := *args.Props.(*rds.InstanceArgs)
			props.Username = pulumi.String("admin2")
			return &pulumi.ResourceTransformationResult{Props: &props, Opts: args.Opts}
		}))
		f := failure(rep, dbName, "username")
		if f == nil || !strings.Contains(f.Reason, `"dbadmin" -> "admin2"`) || !strings.Contains(f.Source, "ForceNew") || len(rep.Failures) != 1 {
			t.Errorf("%s: the username change is not reported with both values and its source: %+v", stack, rep.Failures)
		}
		rep = check(t, base, withTransform(t, stack, func(args *pulumi.ResourceTransformationArgs) *pulumi.ResourceTransformationResult {
			props := *args.Props.(*rds.InstanceArgs)
			props.StorageEncrypted = pulumi.Bool(false)
			return &pulumi.ResourceTransformationResult{Props: &props, Opts: args.Opts}
		}))
		if failure(rep, dbName, "storageEncrypted") == nil || len(rep.Failures) != 1 {
			t.Errorf("%s: want only storageEncrypted reported, got %+v", stack, rep.Failures)
		}
	}
}

// TestIdentifierRenamesInPlace: a new database identifier renames the
// instance (no ForceNew since the provider's v5.0.0): the guard notes the
// new endpoint and does not fail on the database, but it does fail on the
// database's log groups, whose names RDS derives from the identifier: the
// old groups, and the logs in them, would be deleted.
func TestIdentifierRenamesInPlace(t *testing.T) {
	for _, stack := range plantest.Stacks {
		rep := check(t, baseline(t, stack), database(t, stack, map[string]any{"identifier": "pushplatform-" + stack + "-db"}))
		var failed []string
		for _, f := range rep.Failures {
			failed = append(failed, f.Type+" "+f.Name)
		}
		slices.Sort(failed)
		if want := []string{"aws:cloudwatch/logGroup:LogGroup datastores-mysql-error", "aws:cloudwatch/logGroup:LogGroup datastores-mysql-slowquery"}; !slices.Equal(failed, want) {
			t.Errorf("%s: a renamed identifier fails on %v, want only the database's log groups %v", stack, failed, want)
		}
		var noted bool
		for _, n := range rep.Notes {
			noted = noted || n.Input == "identifier" && strings.Contains(n.Reason, `"pushplatform-`+stack+`-mysql" -> "pushplatform-`+stack+`-db"`) && strings.Contains(n.Source, "endpoint")
		}
		if !noted {
			t.Errorf("%s: the rename is not noted: %+v", stack, rep.Notes)
		}
	}
}

// TestInPlaceChangePasses changes the instance class and the engine
// version (which ignoreChanges covers): neither replaces the database.
func TestInPlaceChangePasses(t *testing.T) {
	for _, stack := range plantest.Stacks {
		base := baseline(t, stack)
		res := database(t, stack, map[string]any{"instanceClass": "db.m7g.large", "engineVersion": "8.4.5"})
		if got := res.Named(tDB, dbName).InputString("instanceClass"); got != "db.m7g.large" {
			t.Fatalf("%s: the change did not reach the instance: %s", stack, got)
		}
		if rep := check(t, base, res); rep.Failed() {
			t.Errorf("%s: an in-place change fails: %+v", stack, rep.Failures)
		}
	}
}

// TestLoadRejects a file that is not a plan, and Check a plan of another
// stack.
func TestLoadRejects(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.json")
	for _, body := range []string{"not json", `{"foo":1}`} {
		os.WriteFile(path, []byte(body), 0o600)
		if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "not a JSON plan") {
			t.Errorf("%q: %v", body, err)
		}
	}
	if _, err := Check(baseline(t, "dev"), plantest.Run(t, "prod")); err == nil || !strings.Contains(err.Error(), "another") && !strings.Contains(err.Error(), "baseline is a plan of") {
		t.Errorf("a dev baseline for prod: %v", err)
	}
}
