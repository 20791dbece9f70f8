/*
 * setup.h: the setup screen (F2 or S on the process list), as htop's:
 * header meters, list columns, display options and colour themes, each
 * change applied at once to the list behind it and to ui->cfg, which
 * whytop writes back to the configuration file on quit.
 */
#ifndef WHYTOP_UI_SETUP_H
#define WHYTOP_UI_SETUP_H

#include "ui/ui_int.h"

struct screen *setup_screen_new(struct ui *ui);

#endif
