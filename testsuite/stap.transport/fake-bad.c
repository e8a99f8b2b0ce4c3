/* A user-platform module that breaks the protocol on purpose, as a buggy
 * or foreign .so would: its own stp_user_main writes the frames that its
 * "mode=" option names.  staprun must answer each with one clear error
 * and exit 1, never hang or crash. */
#include "runtime/user/transport.h"
#include <string.h>
#include <unistd.h>

static void frame(int fd, stp_u32 type, const void *p, stp_u32 len, stp_u32 claimed)
{
	struct stp_msg m = { .type = type, .len = claimed };

	if (write(fd, &m, sizeof(m)) != sizeof(m) || (len && write(fd, p, len) != (ssize_t)len))
		_exit(2);
}

static void ready(int fd)
{
	struct stp_msg_ready r = { .protocol = STP_PROTOCOL_VERSION, .ncpus = 1, .buffer_bytes = 4096 };

	frame(fd, STP_MSG_READY, &r, sizeof(r), sizeof(r));
}

int stp_user_main(int fd, const struct stp_user_args *args)
{
	const char *mode = args->nglobals ? args->globals[0] : "";

	if (!strcmp(mode, "mode=early-stop")) {
		frame(fd, STP_MSG_STOPPED, NULL, 0, 0);
	} else if (!strcmp(mode, "mode=huge-frame")) {
		ready(fd);
		frame(fd, STP_MSG_WARNING, "x", 1, 0x7fffffff);
	} else if (!strcmp(mode, "mode=bad-record")) {
		struct stp_record r = { .seq = 0, .len = 100, .cpu = 0 };

		ready(fd);
		frame(fd, STP_MSG_DATA, &r, sizeof(r), sizeof(r));
	} else if (!strcmp(mode, "mode=protocol")) {
		struct stp_msg_ready r = { .protocol = 99, .ncpus = 1 };

		frame(fd, STP_MSG_READY, &r, sizeof(r), sizeof(r));
	} else if (!strcmp(mode, "mode=eof")) {
		ready(fd);
	} else if (!strcmp(mode, "mode=exit3")) {
		ready(fd);
		_exit(3);
	}
	close(fd);
	return 0;
}
