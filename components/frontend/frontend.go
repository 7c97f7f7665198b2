// Package frontend is the site's edge: the React app uploaded to the
// frontend bucket, and one CloudFront distribution in front of three
// origins: the app (default behaviour), public assets (/assets/*) and the
// API on the internal load balancer (/api/*, through a VPC origin). The
// buckets stay private (Origin Access Control), and the load balancer
// has no public address, so CloudFront is the only way in.
package frontend

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/datastores"
	"github.com/pushplatform/pushplatform/components/internal/policy"
	"github.com/pushplatform/pushplatform/components/network"
	"github.com/pushplatform/pushplatform/config"
	"github.com/pushplatform/pushplatform/internal/webedge"
)

// Frontend is the distribution and the uploaded site.
type Frontend struct {
	pulumi.ResourceState

	// DomainName is the distribution's *.cloudfront.net name.
	DomainName pulumi.StringOutput
	// URL is what users open: https:// and the first alias, or the
	// distribution's own name.
	URL pulumi.StringOutput
	// Origins are the browser origins the site is served from (the
	// distribution's name and every alias): the API admits these.
	Origins pulumi.StringArrayOutput
	// Host is the public host name: the first alias, or the
	// distribution's name (push subscription endpoints are built on it).
	Host pulumi.StringOutput
	// DistributionID and DistributionArn identify the distribution.
	DistributionID  pulumi.IDOutput
	DistributionArn pulumi.StringOutput
}

// Args wires the distribution to its origins.
type Args struct {
	Config config.Frontend
	// Site is the directory of the built app to upload (npm run build's
	// output, or the fixture in the offline plan and tests).
	Site string
	// Site, Assets and Logs buckets.
	SiteBucket, AssetsBucket, LogsBucket *datastores.Bucket
	// ALB is the internal load balancer /api/* goes to.
	ALB *lb.LoadBalancer
	// LogName names the log delivery (it is unique per account and region).
	LogName string
	// MorePaths are further path patterns routed to the load balancer
	// exactly as /api/* is (autoendpoint's /wpush/*, /m/*, /v1/*).
	MorePaths []string
	// Certificate is the custom domain's (components/domain); when set it
	// replaces Config.CertificateArn and Config.Aliases, which config
	// refuses beside a domain.
	Certificate *Certificate
}

// Certificate is a validated us-east-1 certificate and the host names it
// covers, which become the distribution's aliases (the first is the site).
type Certificate struct {
	Arn   pulumi.StringInput
	Hosts []string
}

// Timeouts of the API origin, CloudFront's defaults: the producer answers
// within its own 3 s bounds.
const (
	apiReadTimeoutSeconds      = 30
	apiKeepaliveTimeoutSeconds = 5
)

// New uploads the site and creates the distribution.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Frontend, error) {
	files, err := siteFiles(args.Site)
	if err != nil {
		return nil, err
	}
	f := &Frontend{}
	if err := ctx.RegisterComponentResource("pushplatform:frontend:Frontend", name, f, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(f)
	if err := upload(ctx, name+"-site", args.SiteBucket.Name, files, child); err != nil {
		return nil, err
	}

	oac, err := cloudfront.NewOriginAccessControl(ctx, name+"-s3", &cloudfront.OriginAccessControlArgs{
		Description:                   pulumi.String("CloudFront signs every request to the private site and assets buckets"),
		OriginAccessControlOriginType: pulumi.String("s3"),
		SigningBehavior:               pulumi.String("always"),
		SigningProtocol:               pulumi.String("sigv4"),
	}, child)
	if err != nil {
		return nil, fmt.Errorf("origin access control: %w", err)
	}
	vpcOrigin, err := newVPCOrigin(ctx, name+"-alb", args.ALB, child)
	if err != nil {
		return nil, err
	}
	spa, err := cloudfront.NewFunction(ctx, name+"-spa", &cloudfront.FunctionArgs{
		Runtime: pulumi.String("cloudfront-js-2.0"),
		Comment: pulumi.String("Deep links of the single-page app get index.html"),
		Code:    pulumi.String(webedge.SPARewriteJS),
		Publish: pulumi.Bool(true),
	}, child)
	if err != nil {
		return nil, fmt.Errorf("spa function: %w", err)
	}
	headers, err := newHeadersPolicy(ctx, name+"-headers", child)
	if err != nil {
		return nil, err
	}

	certArn, aliases := certificate(args)
	dist, err := cloudfront.NewDistribution(ctx, name, &cloudfront.DistributionArgs{
		Enabled:           pulumi.Bool(true),
		Comment:           pulumi.String(ctx.Project() + " " + ctx.Stack() + ": site, assets and API"),
		Aliases:           pulumi.ToStringArray(aliases),
		DefaultRootObject: pulumi.String("index.html"),
		PriceClass:        pulumi.String(args.Config.PriceClass),
		HttpVersion:       pulumi.String("http2and3"),
		IsIpv6Enabled:     pulumi.Bool(true),
		Origins: cloudfront.DistributionOriginArray{
			&cloudfront.DistributionOriginArgs{OriginId: pulumi.String(OriginSite), DomainName: args.SiteBucket.RegionalDomainName, OriginAccessControlId: oac.ID()},
			&cloudfront.DistributionOriginArgs{OriginId: pulumi.String(OriginAssets), DomainName: args.AssetsBucket.RegionalDomainName, OriginAccessControlId: oac.ID()},
			&cloudfront.DistributionOriginArgs{
				OriginId:   pulumi.String(OriginAPI),
				DomainName: args.ALB.DnsName,
				VpcOriginConfig: &cloudfront.DistributionOriginVpcOriginConfigArgs{
					VpcOriginId:            vpcOrigin.ID(),
					OriginReadTimeout:      pulumi.Int(apiReadTimeoutSeconds),
					OriginKeepaliveTimeout: pulumi.Int(apiKeepaliveTimeoutSeconds),
				},
			},
		},
		DefaultCacheBehavior: &cloudfront.DistributionDefaultCacheBehaviorArgs{
			TargetOriginId:          pulumi.String(OriginSite),
			ViewerProtocolPolicy:    pulumi.String("redirect-to-https"),
			AllowedMethods:          pulumi.ToStringArray(readMethods),
			CachedMethods:           pulumi.ToStringArray(cachedMethods),
			CachePolicyId:           pulumi.String(CachingOptimized),
			ResponseHeadersPolicyId: headers.ID(),
			Compress:                pulumi.Bool(true),
			FunctionAssociations: cloudfront.DistributionDefaultCacheBehaviorFunctionAssociationArray{
				&cloudfront.DistributionDefaultCacheBehaviorFunctionAssociationArgs{EventType: pulumi.String("viewer-request"), FunctionArn: spa.Arn},
			},
		},
		OrderedCacheBehaviors: append(apiBehaviours(append([]string{PathAPI}, args.MorePaths...), headers.ID()),
			&cloudfront.DistributionOrderedCacheBehaviorArgs{
				PathPattern:             pulumi.String(PathAssets),
				TargetOriginId:          pulumi.String(OriginAssets),
				ViewerProtocolPolicy:    pulumi.String("redirect-to-https"),
				AllowedMethods:          pulumi.ToStringArray(readMethods),
				CachedMethods:           pulumi.ToStringArray(cachedMethods),
				CachePolicyId:           pulumi.String(CachingOptimized),
				ResponseHeadersPolicyId: headers.ID(),
				Compress:                pulumi.Bool(true),
			}),
		Restrictions: &cloudfront.DistributionRestrictionsArgs{
			GeoRestriction: &cloudfront.DistributionRestrictionsGeoRestrictionArgs{RestrictionType: pulumi.String("none")},
		},
		ViewerCertificate: viewerCertificate(certArn),
		Tags:              pulumi.StringMap{"Name": pulumi.String(name)},
	}, child)
	if err != nil {
		return nil, fmt.Errorf("create distribution: %w", err)
	}
	f.DomainName, f.DistributionID, f.DistributionArn = dist.DomainName, dist.ID(), dist.Arn
	f.Host = dist.DomainName
	if len(aliases) > 0 {
		f.Host = pulumi.String(aliases[0]).ToStringOutput()
	}
	f.URL = pulumi.Sprintf("https://%s/", f.Host)
	origins := pulumi.StringArray{pulumi.Sprintf("https://%s", dist.DomainName)}
	for _, a := range aliases {
		origins = append(origins, pulumi.String("https://"+a))
	}
	f.Origins = origins.ToStringArrayOutput()

	// Each bucket serves its objects to this distribution only.
	for _, b := range []*datastores.Bucket{args.SiteBucket, args.AssetsBucket} {
		if err := b.AddPolicyStatements(readByDistribution(b, dist.Arn)); err != nil {
			return nil, err
		}
	}
	if err := newAccessLogs(ctx, name, args, dist, child); err != nil {
		return nil, err
	}
	if err := ctx.RegisterResourceOutputs(f, pulumi.Map{"url": f.URL, "distributionId": dist.ID()}); err != nil {
		return nil, err
	}
	return f, nil
}

// apiBehaviours route each path pattern to the load balancer: never
// cached, every method, every viewer header, cookie and query string.
// HTTPS only (403 over HTTP): a redirect would turn a POST into a GET.
func apiBehaviours(paths []string, headers pulumi.IDOutput) cloudfront.DistributionOrderedCacheBehaviorArray {
	var out cloudfront.DistributionOrderedCacheBehaviorArray
	for _, p := range paths {
		out = append(out, &cloudfront.DistributionOrderedCacheBehaviorArgs{
			PathPattern:             pulumi.String(p),
			TargetOriginId:          pulumi.String(OriginAPI),
			ViewerProtocolPolicy:    pulumi.String("https-only"),
			AllowedMethods:          pulumi.ToStringArray(allMethods),
			CachedMethods:           pulumi.ToStringArray(cachedMethods),
			CachePolicyId:           pulumi.String(CachingDisabled),
			OriginRequestPolicyId:   pulumi.String(AllViewer),
			ResponseHeadersPolicyId: headers,
			Compress:                pulumi.Bool(true),
		})
	}
	return out
}

// readByDistribution is the statement AWS documents for Origin Access
// Control: CloudFront's service principal may get objects, for requests
// of this distribution only. No s3:ListBucket: a missing key is a 403,
// which no viewer sees as an object listing.
func readByDistribution(b *datastores.Bucket, distributionArn pulumi.StringOutput) policy.Statement {
	return policy.Statement{
		Sid:        "CloudFrontReadsThroughOAC",
		Actions:    []string{"s3:GetObject"},
		Resources:  pulumi.StringArray{pulumi.Sprintf("%s/*", b.Arn)},
		Principals: []policy.Principal{{Type: "Service", Identifiers: []string{"cloudfront.amazonaws.com"}}},
		Conditions: []policy.Condition{{Test: "StringEquals", Variable: "AWS:SourceArn", Values: pulumi.StringArray{distributionArn}}},
	}
}

// certificate is the viewer certificate's ARN (nil for none) and the
// aliases: the domain's when the stack has one, else frontend.certificateArn
// and frontend.aliases.
func certificate(args *Args) (pulumi.StringInput, []string) {
	if c := args.Certificate; c != nil {
		return c.Arn, c.Hosts
	}
	if args.Config.CertificateArn == "" {
		return nil, args.Config.Aliases
	}
	return pulumi.String(args.Config.CertificateArn), args.Config.Aliases
}

// viewerCertificate: with a custom domain, its us-east-1 certificate by
// SNI and TLS 1.2 or later; without one (arn nil), the *.cloudfront.net
// certificate, for which CloudFront sets the security policy itself.
func viewerCertificate(arn pulumi.StringInput) *cloudfront.DistributionViewerCertificateArgs {
	if arn == nil {
		return &cloudfront.DistributionViewerCertificateArgs{CloudfrontDefaultCertificate: pulumi.Bool(true)}
	}
	return &cloudfront.DistributionViewerCertificateArgs{
		AcmCertificateArn:      arn,
		SslSupportMethod:       pulumi.String("sni-only"),
		MinimumProtocolVersion: pulumi.String(MinimumTLS),
	}
}

// MinimumTLS is the viewer security policy with a custom certificate:
// TLS 1.2 and 1.3 with the 2021 ciphers (CloudFront developer guide,
// "Supported protocols and ciphers between viewers and CloudFront").
const MinimumTLS = "TLSv1.2_2021"

// newVPCOrigin makes the internal ALB reachable by CloudFront: plain HTTP
// on the listener port, over AWS's network inside the VPC.
func newVPCOrigin(ctx *pulumi.Context, name string, alb *lb.LoadBalancer, opts ...pulumi.ResourceOption) (*cloudfront.VpcOrigin, error) {
	vo, err := cloudfront.NewVpcOrigin(ctx, name, &cloudfront.VpcOriginArgs{
		VpcOriginEndpointConfig: &cloudfront.VpcOriginVpcOriginEndpointConfigArgs{
			Name:                 pulumi.String(ctx.Project() + "-" + ctx.Stack() + "-alb"),
			Arn:                  alb.Arn,
			HttpPort:             pulumi.Int(network.ALBListenerPort),
			HttpsPort:            pulumi.Int(443),
			OriginProtocolPolicy: pulumi.String("http-only"),
			// Unused with http-only, but the provider requires the block.
			OriginSslProtocols: &cloudfront.VpcOriginVpcOriginEndpointConfigOriginSslProtocolsArgs{
				Items: pulumi.ToStringArray([]string{"TLSv1.2"}), Quantity: pulumi.Int(1),
			},
		},
		// AWS allows up to 15 minutes for a VPC origin to deploy.
		Timeouts: &cloudfront.VpcOriginTimeoutsArgs{Create: pulumi.String("30m"), Update: pulumi.String("30m"), Delete: pulumi.String("30m")},
		Tags:     pulumi.StringMap{"Name": pulumi.String(name)},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("vpc origin: %w", err)
	}
	return vo, nil
}

// newHeadersPolicy sets the site's security headers on every response
// (internal/webedge holds the values the local edge serves too).
func newHeadersPolicy(ctx *pulumi.Context, name string, opts ...pulumi.ResourceOption) (*cloudfront.ResponseHeadersPolicy, error) {
	p, err := cloudfront.NewResponseHeadersPolicy(ctx, name, &cloudfront.ResponseHeadersPolicyArgs{
		Comment: pulumi.String("HSTS, nosniff, no framing, referrer policy and the app's Content-Security-Policy"),
		SecurityHeadersConfig: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigArgs{
			StrictTransportSecurity: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigStrictTransportSecurityArgs{
				AccessControlMaxAgeSec: pulumi.Int(webedge.HSTSMaxAgeSeconds), Override: pulumi.Bool(true),
			},
			ContentTypeOptions: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigContentTypeOptionsArgs{Override: pulumi.Bool(true)},
			FrameOptions: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigFrameOptionsArgs{
				FrameOption: pulumi.String(webedge.FrameOption), Override: pulumi.Bool(true),
			},
			ReferrerPolicy: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigReferrerPolicyArgs{
				ReferrerPolicy: pulumi.String(webedge.ReferrerPolicy), Override: pulumi.Bool(true),
			},
			ContentSecurityPolicy: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigContentSecurityPolicyArgs{
				ContentSecurityPolicy: pulumi.String(webedge.ContentSecurityPolicy), Override: pulumi.Bool(true),
			},
		},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("response headers policy: %w", err)
	}
	return p, nil
}
