package backlog

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
)

// PutMetricDataAPI is the one CloudWatch call the publisher makes
// (*cloudwatch.Client has it).
type PutMetricDataAPI interface {
	PutMetricData(ctx context.Context, in *cloudwatch.PutMetricDataInput, opts ...func(*cloudwatch.Options)) (*cloudwatch.PutMetricDataOutput, error)
}

// CloudWatch publishes the backlog as a metric with the dimensions the
// autoscaling policy tracks: Queue (the stream) and Stack.
type CloudWatch struct {
	API       PutMetricDataAPI
	Namespace string
	Name      string
	Queue     string
	Stack     string
}

// Publish sends one datum (unit Count).
func (c *CloudWatch) Publish(ctx context.Context, backlog int64) error {
	dims := []types.Dimension{{Name: aws.String("Queue"), Value: aws.String(c.Queue)}}
	if c.Stack != "" {
		dims = append(dims, types.Dimension{Name: aws.String("Stack"), Value: aws.String(c.Stack)})
	}
	_, err := c.API.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{
		Namespace: aws.String(c.Namespace),
		MetricData: []types.MetricDatum{{
			MetricName: aws.String(c.Name),
			Unit:       types.StandardUnitCount,
			Value:      aws.Float64(float64(backlog)),
			Dimensions: dims,
		}},
	})
	if err != nil {
		return fmt.Errorf("PutMetricData %s/%s: %w", c.Namespace, c.Name, err)
	}
	return nil
}
