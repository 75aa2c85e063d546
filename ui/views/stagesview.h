#pragma once

#include "stagespainter.h"

#include "padlab/core/stages.h"

#include <QWidget>

class QLabel;
class QScrollArea;
class QSpinBox;

namespace padlab::ui {

class Session;
class StagesCanvas;

/**
 * The Stages mode: the session's kernel applied 1 to 20 times in a row.
 *
 * A row on top holds the number of stages (a spin box bound to Session::stageCount()) and a
 * line saying what the current amount and fill do to each stage; below, the stages painted by
 * StagesPainter, in a scroll area when the window is small.
 *
 * The chain is computed only while the view is visible, and only when the session's input,
 * kernel, spec or stage count differ from those of the chain already drawn. Small chains are
 * computed at once; large ones (a photo times many stages) on a worker thread, the previous
 * chain staying on screen, marked as being recomputed, until the new one arrives.
 */
class StagesView : public QWidget {
    Q_OBJECT

public:
    explicit StagesView(Session *session, QWidget *parent = nullptr);
    ~StagesView() override;

    void setFontScale(double scale);
    void setDark(bool dark);
    const StagesOptions &options() const { return m_options; }

    /// The chain drawn (empty before the view was first shown).
    const core::StageChain &chain() const { return m_chain; }
    /// Whether a newer chain is being computed on a worker.
    bool isComputing() const;
    /// The line describing what the amount and fill do to each stage.
    QString effectText() const;

Q_SIGNALS:
    /// A newly computed chain is drawn.
    void chainChanged();

protected:
    void showEvent(QShowEvent *event) override;

private:
    struct Private;
    void sessionChanged();
    void viewSettingsChanged();
    void refresh();

    Session *m_session;
    StagesOptions m_options;
    QSpinBox *m_count = nullptr;
    QLabel *m_effect = nullptr;
    QScrollArea *m_scroll = nullptr;
    StagesCanvas *m_canvas = nullptr;
    core::StageChain m_chain;
    Private *d;
};

} // namespace padlab::ui
