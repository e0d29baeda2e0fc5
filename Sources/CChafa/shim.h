// libchafa (chafa 1.12): it turns an RGB picture into a sixel stream for terminals that show
// sixel graphics (xterm -ti vt340, foot, mlterm, WezTerm). Its header pulls in glib's.
#include <chafa.h>
