package testservers

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Dynamo is a DynamoDB-compatible server on loopback: dynalite (npm,
// installed in testtools/ by `npm ci`; .ci/run does), in memory.
type Dynamo struct {
	URL    string
	Client *dynamodb.Client
}

// StartDynamo starts dynalite on a free port and stops it when the test
// ends. Without node or testtools/node_modules it skips locally and fails
// under CI.
func StartDynamo(t testing.TB) *Dynamo {
	t.Helper()
	node := need(t, "node")
	cli := filepath.Join(moduleRoot(t), "testtools", "node_modules", "dynalite", "cli.js")
	if !fileExists(cli) {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing; CI must run npm ci in testtools/ (.ci/run does)", cli)
		}
		t.Skipf("%s is missing: run npm ci in testtools/", cli)
	}
	port := FreePort(t)
	dir := t.TempDir()
	start(t, node, []string{cli, "--port", fmt.Sprint(port)}, filepath.Join(dir, "dynalite.log"))
	waitFor(t, "dynalite", filepath.Join(dir, "dynalite.log"), 15*time.Second, func() error {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			c.Close()
		}
		return err
	})
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	return &Dynamo{URL: url, Client: DynamoClient(url)}
}

// DynamoClient is an SDK client for the server at url, with static test
// credentials (dynalite checks the signature's shape, not its value).
func DynamoClient(url string) *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{
		Region: "eu-central-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("AKIATESTTESTTESTTEST", "test-secret", ""),
	})
}

// CreateTable makes a table with a string hash key and, if given, a
// string range key, and waits until it is active.
func (d *Dynamo) CreateTable(t testing.TB, name, hash, rangeKey string) {
	t.Helper()
	attrs := []types.AttributeDefinition{{AttributeName: aws.String(hash), AttributeType: types.ScalarAttributeTypeS}}
	schema := []types.KeySchemaElement{{AttributeName: aws.String(hash), KeyType: types.KeyTypeHash}}
	if rangeKey != "" {
		attrs = append(attrs, types.AttributeDefinition{AttributeName: aws.String(rangeKey), AttributeType: types.ScalarAttributeTypeS})
		schema = append(schema, types.KeySchemaElement{AttributeName: aws.String(rangeKey), KeyType: types.KeyTypeRange})
	}
	ctx := context.Background()
	if _, err := d.Client.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: aws.String(name), AttributeDefinitions: attrs, KeySchema: schema, BillingMode: types.BillingModePayPerRequest,
	}); err != nil {
		t.Fatalf("create table %s: %v", name, err)
	}
	w := dynamodb.NewTableExistsWaiter(d.Client, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay = 50 * time.Millisecond
		o.MaxDelay = 200 * time.Millisecond
	})
	if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, 15*time.Second); err != nil {
		t.Fatalf("table %s: %v", name, err)
	}
}

// moduleRoot is the directory holding go.mod, above the test's package.
func moduleRoot(t testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if fileExists(filepath.Join(dir, "go.mod")) {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test")
		}
		dir = parent
	}
}
