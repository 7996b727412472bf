// Command etcd is the etcd server built from the published go.etcd.io/etcd/server/v3 module.
// scripts/test-cluster builds it for the local test bed when the etcd wheel from PyPI cannot
// be used (MESHCTL_TESTBED_ETCD_SOURCE=go, or the download fails). It does what etcd's own
// main package does.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
