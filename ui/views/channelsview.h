#pragma once

#include "channelspainter.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QScrollArea;
class QSpinBox;

namespace padlab::ui {

class Session;
class ChannelsCanvas;

/**
 * The Channels mode: the input's channels side by side, the filter bank, the current output
 * cell's window in every channel with each channel's partial sum, and the F output maps.
 *
 * A row on top chooses the bank (a preset, or the session's kernel on every channel), the
 * groups and the bias; all three are session settings (Session::setFilterBank(), setGroups(),
 * setBias()). Below, ChannelsPainter draws the newest snapshot with a ChannelSet. Hovering an
 * output cell lights its receptive field in every channel; clicking it moves the window there.
 *
 * While visible it asks the session for the channels part, computed once per input, kernel,
 * spec and bank, at once or on a worker as every computation is.
 */
class ChannelsView : public QWidget {
    Q_OBJECT

public:
    explicit ChannelsView(Session *session, QWidget *parent = nullptr);
    ~ChannelsView() override;

    ChannelsOptions options() const;
    SnapshotPtr shown() const { return m_shown; }
    bool isComputing() const;
    /// The output cell under the mouse, if any.
    std::optional<QPoint> hoveredOutput() const { return m_hovered; }
    void setHoveredOutput(std::optional<QPoint> cell);

Q_SIGNALS:
    /// A newly computed channel set is drawn.
    void channelsChanged();
    /// Output cell @p cell (x = col, y = row) was clicked: the window moves there.
    void cellClicked(QPoint cell);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void snapshotChanged();
    void viewSettingsChanged();
    void bankChosen(int index);
    void biasEdited();

    Session *m_session;
    SnapshotPtr m_shown;
    bool m_needs = false;
    std::optional<QPoint> m_hovered;
    QComboBox *m_bank = nullptr;
    QSpinBox *m_groups = nullptr;
    QLineEdit *m_bias = nullptr;
    QLabel *m_biasError = nullptr;
    QScrollArea *m_scroll = nullptr;
    ChannelsCanvas *m_canvas = nullptr;
};

} // namespace padlab::ui
