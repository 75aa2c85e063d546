#pragma once

#include "transposedpainter.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QScrollArea;
class QSpinBox;

namespace padlab::ui {

class Session;
class TransposedCanvas;

/**
 * The Transposed mode: the transposed convolution of the input with the kernel, drawn twice by
 * TransposedPainter (the zero-stuffed, padded input under the flipped kernel; each input cell
 * stamping onto the full output, with the crops and the added cells marked).
 *
 * A row on top sets the stride, the dilation, and either PyTorch's padding and output_padding or
 * one of Keras' presets (valid, same); all are session settings (ViewSettings::convt*). Hovering
 * an output cell rings the input cells that stamp onto it and writes its sum; clicking it moves
 * the window there. While visible it asks the session for the transposed part.
 */
class TransposedView : public QWidget {
    Q_OBJECT

public:
    explicit TransposedView(Session *session, QWidget *parent = nullptr);
    ~TransposedView() override;

    TransposedOptions options() const;
    SnapshotPtr shown() const { return m_shown; }
    bool isComputing() const;
    std::optional<QPoint> hoveredOutput() const { return m_hovered; }
    void setHoveredOutput(std::optional<QPoint> cell);

Q_SIGNALS:
    /// A newly computed transposed set is drawn.
    void transposedChanged();
    /// Output cell @p cell (x = col, y = row) was clicked.
    void cellClicked(QPoint cell);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void snapshotChanged();
    void viewSettingsChanged();
    void edited();

    Session *m_session;
    SnapshotPtr m_shown;
    bool m_needs = false;
    std::optional<QPoint> m_hovered;
    QComboBox *m_preset = nullptr;
    QSpinBox *m_stride = nullptr;
    QSpinBox *m_dilation = nullptr;
    QSpinBox *m_padding = nullptr;
    QSpinBox *m_outputPadding = nullptr;
    QScrollArea *m_scroll = nullptr;
    TransposedCanvas *m_canvas = nullptr;
};

} // namespace padlab::ui
