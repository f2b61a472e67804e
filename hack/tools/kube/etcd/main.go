// Command etcd is etcd's own server entry point. etcd's module carries replace directives, so
// `go install` refuses it; this wrapper builds the same main from the module proxy.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
