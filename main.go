// Command pushplatform is the Pulumi program: `pulumi up -s prod` runs it.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components"
)

func main() {
	pulumi.Run(components.Stack)
}
