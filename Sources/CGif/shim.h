// giflib 5.2 (Debian libgif-dev): the encoder and decoder of animated GIF pictures. It has no
// pkg-config file, so the module links -lgif itself.
#include <gif_lib.h>
