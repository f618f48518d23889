/* SPDX-License-Identifier: ISC */
/*
 * dissect/result.h: the result every dissector returns. Dissectors are pure
 * functions: bytes in, a plain struct out; no globals, no I/O, no allocation.
 */
#ifndef SHADOWTAP_DISSECT_RESULT_H
#define SHADOWTAP_DISSECT_RESULT_H

enum dis_result {
	DIS_OK = 0,	/* parsed; *out is filled */
	DIS_MORE,	/* well-formed so far, needs more stream bytes */
	DIS_NOTME,	/* not this protocol */
	DIS_BAD,	/* this protocol, but malformed */
};

#endif
