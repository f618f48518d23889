/* SPDX-License-Identifier: ISC */
/*
 * app.h: the application protocol a flow was recognised as. The names are
 * the public "app" values of flow events.
 */
#ifndef SHADOWTAP_APP_H
#define SHADOWTAP_APP_H

enum app {
	APP_UNKNOWN = 0,
	APP_DNS,
	APP_TLS,
	APP_HTTP,
	APP_QUIC,
	APP_DHCP,
	APP_MAX
};

static inline const char *
app_str(enum app a)
{
	switch (a) {
	case APP_DNS:
		return "dns";
	case APP_TLS:
		return "tls";
	case APP_HTTP:
		return "http";
	case APP_QUIC:
		return "quic";
	case APP_DHCP:
		return "dhcp";
	case APP_UNKNOWN:
	case APP_MAX:
		break;
	}
	return NULL;
}

#endif
