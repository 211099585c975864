# vsnative.node (N-API, plain C) and the single-threaded helper executables.
# Build: npx node-gyp rebuild --directory native   (headers come from nodedir=/usr)
{
  "target_defaults": {
    "cflags": ["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-O2", "-D_GNU_SOURCE",
               "-fstack-protector-strong", "-D_FORTIFY_SOURCE=2", "-Wno-unused-parameter"],
    "cflags!": ["-fno-exceptions"],
    "defines": ["NAPI_VERSION=8"]
  },
  "targets": [
    {
      "target_name": "vsnative",
      "sources": [
        "src/addon/addon.c",
        "src/addon/napi_util.c",
        "src/addon/fs_calls.c",
        "src/addon/pidfd_calls.c",
        "src/addon/ioctl_calls.c",
        "src/addon/quota_calls.c",
        "src/addon/bpf_devfilter.c",
        "src/addon/flock.c",
        "src/addon/xattr_calls.c"
      ]
    },
    {
      "target_name": "vs-start",
      "type": "executable",
      "sources": [
        "src/helper/vs-start.c",
        "src/helper/sealed_self.c",
        "src/helper/start_init.c",
        "src/helper/start_monitor.c",
        "src/helper/sysinfo_serve.c",
        "src/helper/sysinfo_notify.c",
        "src/helper/sysinfo_socket.c",
        "src/helper/record.c",
        "src/helper/report.c",
        "src/helper/mounts.c",
        "src/helper/devices.c",
        "src/helper/userns.c",
        "src/helper/sandbox.c",
        "src/helper/seccomp.c",
        "src/helper/util.c"
      ],
      "ldflags": ["-Wl,-z,relro,-z,now"]
    },
    {
      "target_name": "vs-enter",
      "type": "executable",
      "sources": [
        "src/helper/vs-enter.c",
        "src/helper/sealed_self.c",
        "src/helper/enter_child.c",
        "src/helper/pty_relay.c",
        "src/helper/exec_relay.c",
        "src/helper/sysinfo_notify.c",
        "src/helper/sysinfo_socket.c",
        "src/helper/record.c",
        "src/helper/report.c",
        "src/helper/sandbox.c",
        "src/helper/seccomp.c",
        "src/helper/util.c"
      ],
      "ldflags": ["-Wl,-z,relro,-z,now"]
    }
  ]
}
