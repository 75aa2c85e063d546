#include "hovertext.h"

#include "colormap.h"

#include "padlab/core/pad.h"
#include "padlab/core/window.h"

#include <QObject>

namespace padlab::ui {

namespace {

QString number(double value)
{
    return QString::number(value, 'g', 6);
}

bool contains(const cv::Mat &mat, QPoint cell)
{
    return cell.x() >= 0 && cell.y() >= 0 && cell.x() < mat.cols && cell.y() < mat.rows;
}

} // namespace

QString hoverText(const Snapshot &snapshot, Panel panel, QPoint cell, int step)
{
    const core::ConvResult &result = snapshot.result;
    const core::Geometry &geometry = result.geometry;
    switch (panel) {
    case Panel::Input:
        if (!contains(snapshot.input, cell))
            return {};
        return QObject::tr("Input  row %1, col %2 = %3")
            .arg(cell.y())
            .arg(cell.x())
            .arg(number(cellValue(snapshot.input, cell.y(), cell.x())));
    case Panel::Padded: {
        if (!contains(result.padded, cell))
            return {};
        QString text = QObject::tr("Padded input  row %1, col %2 = %3")
                           .arg(cell.y())
                           .arg(cell.x())
                           .arg(number(cellValue(result.padded, cell.y(), cell.x())));
        const core::Donor donor = core::donorOf(cell.y(), cell.x(), {geometry.rows.input, geometry.cols.input},
                                                geometry.sides(), snapshot.spec.fill);
        if (!donor.isPadding)
            text += QObject::tr("  (input row %1, col %2)").arg(donor.row).arg(donor.col);
        else if (donor.isFillValue())
            text += QObject::tr("  padding: the fill value");
        else
            text += QObject::tr("  padding: copy of input row %1, col %2").arg(donor.row).arg(donor.col);
        const bool unreadRow = geometry.rows.unread > 0 && cell.y() >= geometry.rows.padded - geometry.rows.unread;
        const bool unreadCol = geometry.cols.unread > 0 && cell.x() >= geometry.cols.padded - geometry.cols.unread;
        if (unreadRow || unreadCol)
            text += QObject::tr(", read by no window");
        return text;
    }
    case Panel::Window:
        // The window panel draws one cell per kernel tap: x = b (column), y = a (row).
        for (const core::Tap &tap : snapshot.window(step).taps)
            if (QPoint(tap.b, tap.a) == cell)
                return QObject::tr("Tap row %1, col %2:  weight %3 × value %4 = %5")
                    .arg(tap.a)
                    .arg(tap.b)
                    .arg(number(tap.weight), number(tap.value), number(tap.product));
        return {};
    case Panel::Output: {
        const core::Window window = snapshot.windowAt(cell.y(), cell.x());
        if (window.taps.empty())
            return {};
        return QObject::tr("Output  row %1, col %2 = %3   reads padded rows %4–%5, cols %6–%7 (click to "
                           "move the window there)")
            .arg(cell.y())
            .arg(cell.x())
            .arg(number(cellValue(result.output, cell.y(), cell.x())))
            .arg(window.top)
            .arg(window.top + window.height - 1)
            .arg(window.left)
            .arg(window.left + window.width - 1);
    }
    }
    return {};
}

} // namespace padlab::ui
