package policy

import (
	"fmt"
	"slices"

	"github.com/pushplatform/pushplatform/plan"
)

// highRiskPorts are EC2.19's blocked ports (Security Hub, fixed list).
var highRiskPorts = []float64{20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601, 8080, 8088, 8888, 9200, 9300}

var ec2Rules = []Rule{
	{ID: "EC2.2", Title: "VPC default security groups allow no inbound or outbound traffic", Severity: High, Types: []string{tDefaultSG},
		Fix: "adopt the default group with aws.ec2.DefaultSecurityGroup and no ingress/egress",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(len(objects(r.Input("ingress")))+len(objects(r.Input("egress"))) > 0, "the default security group has rules")
		}},
	{ID: "EC2.6", Title: "VPC flow logging is enabled in all VPCs", Severity: Medium, Types: []string{tVPC},
		Fix: "add an ec2.FlowLog with trafficType ALL for the VPC",
		Check: func(s *Stack, r *plan.Resource) []string {
			for _, f := range s.Res.OfType(tFlowLog) {
				if refersTo(f.Input("vpcId"), r) && f.InputString("trafficType") == "ALL" {
					return nil
				}
			}
			return []string{"no flow log of ALL traffic for this VPC"}
		}},
	{ID: "EC2.8", Title: "EC2 instances use IMDSv2", Severity: High, Types: []string{tLaunchTemplate},
		Fix: "set metadataOptions.httpTokens required",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(str(r, "metadataOptions.httpTokens") != "required", "httpTokens is not required")
		}},
	{ID: "EC2.9", Title: "EC2 instances do not have a public IPv4 address", Severity: High, Types: []string{tEIP, tLaunchTemplate, tInstance},
		Fix: "keep instances in private subnets; reach them through SSM, not a public address",
		Check: func(_ *Stack, r *plan.Resource) []string {
			switch r.Type {
			case tEIP:
				return onlyIf(str(r, "networkInterface") != "" || str(r, "instance") != "", "an Elastic IP is attached to an instance's interface")
			case tInstance:
				return onlyIf(boolean(r, "associatePublicIpAddress"), "associatePublicIpAddress is true")
			}
			for _, ni := range objects(r.Input("networkInterfaces")) {
				if ni["associatePublicIpAddress"] == "true" || ni["associatePublicIpAddress"] == true {
					return []string{"associatePublicIpAddress on its interface"}
				}
			}
			return nil
		}},
	{ID: "EC2.18", Title: "Security groups allow unrestricted incoming traffic only on authorized ports (80, 443)", Severity: High, Types: []string{tIngress},
		Fix: "admit a security group or prefix list instead of 0.0.0.0/0, or use port 80/443",
		Check: func(_ *Stack, r *plan.Resource) []string {
			if !openToWorld(r) {
				return nil
			}
			from, to := num(r, "fromPort"), num(r, "toPort")
			return onlyIf(str(r, "ipProtocol") == "-1" || !(from == to && (from == 80 || from == 443)), fmt.Sprintf("open to the internet on %s %g-%g", str(r, "ipProtocol"), from, to))
		}},
	{ID: "EC2.19", Title: "Security groups do not allow unrestricted access to high-risk ports", Severity: Critical, Types: []string{tIngress},
		Fix: "never admit 0.0.0.0/0 or ::/0 to admin or database ports",
		Check: func(_ *Stack, r *plan.Resource) []string {
			if !openToWorld(r) {
				return nil
			}
			from, to := num(r, "fromPort"), num(r, "toPort")
			if str(r, "ipProtocol") == "-1" {
				return []string{"all ports open to the internet"}
			}
			return onlyIf(slices.ContainsFunc(highRiskPorts, func(p float64) bool { return p >= from && p <= to }), fmt.Sprintf("high-risk port in %g-%g open to the internet", from, to))
		}},
	{ID: "EC2.55", Title: "VPCs have an interface endpoint for the ECR API", Severity: Medium, Types: []string{tVPC},
		Fix:   "add ecr.api to network.interfaceEndpoints",
		Check: func(s *Stack, _ *plan.Resource) []string { return missingEndpoint(s, "ecr.api") }},
	{ID: "PP.NET.1", Title: "No security group allows all traffic out to the internet", Severity: Medium, Types: []string{tEgress},
		Fix: "allow egress only to the peers and ports the tier needs (443 to endpoints, the store's port)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(openToWorld(r) && str(r, "ipProtocol") == "-1", "all protocols and ports out to 0.0.0.0/0")
		}},
}

func openToWorld(r *plan.Resource) bool {
	return str(r, "cidrIpv4") == "0.0.0.0/0" || str(r, "cidrIpv6") == "::/0"
}
