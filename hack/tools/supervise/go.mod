// supervise: the process supervisor of the stack's long-running processes (the components of
// each local cluster), restarting each one that exits with backoff, as the kubelet restarts a
// static pod. Standard library only.
module k8s-ci-envs.local/tools/supervise

go 1.26
