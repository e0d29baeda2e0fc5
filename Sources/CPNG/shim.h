// libpng's simplified API (png_image_write_to_memory, libpng 1.6.29 or later): it reports errors in
// png_image.message and a return value, never by a longjmp through Swift frames.
#include <png.h>
