package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/redis/go-redis/v9"

	"github.com/pushplatform/pushplatform/internal/queue"
)

type metricsConfig struct {
	Namespace, Name, Stack string
	Every                  time.Duration
}

// publisher sends one backlog reading.
type publisher interface {
	Publish(ctx context.Context, backlog int64) error
}

// cloudWatch publishes the backlog as a CloudWatch metric with the
// dimensions the autoscaling policy tracks (Queue, Stack).
type cloudWatch struct {
	client *cloudwatch.Client
	cfg    metricsConfig
	queue  string
}

func newCloudWatch(ctx context.Context, cfg metricsConfig, stream string) (*cloudWatch, error) {
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, err
	}
	return &cloudWatch{client: cloudwatch.NewFromConfig(awsCfg), cfg: cfg, queue: stream}, nil
}

func (c *cloudWatch) Publish(ctx context.Context, backlog int64) error {
	_, err := c.client.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{
		Namespace: aws.String(c.cfg.Namespace),
		MetricData: []types.MetricDatum{{
			MetricName: aws.String(c.cfg.Name),
			Unit:       types.StandardUnitCount,
			Value:      aws.Float64(float64(backlog)),
			Dimensions: []types.Dimension{
				{Name: aws.String("Queue"), Value: aws.String(c.queue)},
				{Name: aws.String("Stack"), Value: aws.String(c.cfg.Stack)},
			},
		}},
	})
	return err
}

// publishBacklog reads the backlog every interval and publishes it.
func publishBacklog(ctx context.Context, log *slog.Logger, rdb redis.UniversalClient, stream string, every time.Duration, pub publisher) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := queue.Backlog(ctx, rdb, stream)
		if err == nil {
			err = pub.Publish(ctx, n)
		}
		if err != nil && ctx.Err() == nil {
			log.Warn("publish backlog", "error", err.Error())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
