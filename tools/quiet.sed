# Lines `make` drops from what its steps print (Makefile: QUIET). Each is start-up noise that no
# setting turns off; everything else, a failing step's whole error included, goes through.
#
# absl's start-up lines, which TensorFlow writes (in every process and every notebook kernel)
# before it reads TF_CPP_MIN_LOG_LEVEL (tools/notebooks.py's NATIVE_LOG_LINE drops the same
# lines from the executed notebooks' cell outputs):
/^WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR$/d
/^[IWEF][0-9]{4} [0-9:.]+ +[0-9]+ [^ ]+:[0-9]+\] /d
# ipykernel's warning that a kernel talks to papermill or nbval over a local TCP port:
/^\[IPKernelApp\] WARNING . Kernel is running over TCP without encryption/d
# pip's note that a package index named in this machine's pip configuration is not there:
/^WARNING: Location .file:[^ ]*. is ignored: it is neither a file nor a directory\.$/d
# ipykernel's note when papermill interrupts a kernel it is shutting down after a notebook ran:
/^\[IPKernelApp\] ERROR . KeyboardInterrupt caught in kernel\.$/d
