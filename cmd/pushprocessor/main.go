// Command pushprocessor is the push-processor Lambda function (arm64,
// provided.al2023): S3 tells it of each object Firehose wrote under the
// records prefix; it reads the object and hands it to
// internal/pushprocessor. An error fails the invocation, Lambda retries
// it, and an event that still fails lands in the failure queue.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/pushplatform/pushplatform/internal/pushprocessor"
	"github.com/pushplatform/pushplatform/internal/queue"
	"github.com/pushplatform/pushplatform/internal/settings"
)

// handler processes the objects of one S3 event.
type handler struct {
	s3   *s3.Client
	proc *pushprocessor.Processor
	log  *slog.Logger
}

func (h *handler) handle(ctx context.Context, ev events.S3Event) error {
	for _, r := range ev.Records {
		// S3 event keys are URL-encoded (spaces as +).
		key, err := url.QueryUnescape(r.S3.Object.Key)
		if err != nil {
			return fmt.Errorf("object key %q: %w", r.S3.Object.Key, err)
		}
		obj, err := h.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(r.S3.Bucket.Name), Key: aws.String(key)})
		if err != nil {
			return fmt.Errorf("get s3://%s/%s: %w", r.S3.Bucket.Name, key, err)
		}
		st, err := h.proc.Process(ctx, obj.Body)
		obj.Body.Close()
		if err != nil {
			return fmt.Errorf("process s3://%s/%s: %w", r.S3.Bucket.Name, key, err)
		}
		h.log.Info("processed", "object", key, "lines", st.Lines, "stored", st.Stored, "duplicates", st.Duplicates,
			"unregistered", st.Unregistered, "notStored", st.NotStored, "malformed", st.Malformed)
	}
	return nil
}

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	ctx := context.Background()
	h, err := setup(ctx, settings.FromOS(), log)
	if err != nil {
		log.Error("invalid settings", "error", err.Error())
		os.Exit(2)
	}
	lambda.Start(h.handle)
}

// setup reads the settings and builds the clients: the cache's AUTH token
// comes from its secret (REDIS_AUTH_SECRET_ARN), never from the
// environment.
func setup(ctx context.Context, env *settings.Env, log *slog.Logger) (*handler, error) {
	rc := queue.ConfigFromEnv(env)
	secretArn := env.String("REDIS_AUTH_SECRET_ARN", "")
	table := env.String("PUSH_MESSAGES_TABLE", "")
	keep := env.Int("PUSH_MESSAGES_KEEP", pushprocessor.DefaultKeep, 1, 1000)
	days := env.Int("PUSH_MESSAGES_RETENTION_DAYS", 30, 1, 365)
	var problems []error
	problems = append(problems, env.Err())
	if table == "" {
		problems = append(problems, errors.New("PUSH_MESSAGES_TABLE is required"))
	}
	if err := errors.Join(problems...); err != nil {
		return nil, err
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, err
	}
	if secretArn != "" {
		out, err := secretsmanager.NewFromConfig(cfg).GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(secretArn)})
		if err != nil {
			return nil, fmt.Errorf("read the cache's AUTH secret: %w", err)
		}
		var s map[string]string
		if err := json.Unmarshal([]byte(aws.ToString(out.SecretString)), &s); err != nil || s["authToken"] == "" {
			return nil, errors.New("the cache's AUTH secret holds no authToken")
		}
		rc.Password = s["authToken"]
	}
	rdb, err := queue.Connect(rc)
	if err != nil {
		return nil, err
	}
	return &handler{
		s3: s3.NewFromConfig(cfg),
		proc: &pushprocessor.Processor{Redis: rdb, DB: dynamodb.NewFromConfig(cfg), Table: table, Keep: keep,
			Retention: time.Duration(days) * 24 * time.Hour, Log: log},
		log: log,
	}, nil
}
