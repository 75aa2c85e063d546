#pragma once

#include "padlab/core/layers.h"

#include <QColor>
#include <QList>
#include <QRectF>
#include <QStringList>
#include <QString>
#include <QWidget>

#include <vector>

class QAbstractButton;
class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace padlab::ui {

class FeatureMapStrip;
class Session;

/// @brief @p layers in `padlab summary --layers` syntax, e.g. `conv2d:32:3,conv2d:64:3:1:same,flatten`
/// (stride and padding written only when they differ from 1 and valid). parseLayers() reads it back.
QString layerSpecText(const std::vector<core::Layer> &layers);

/**
 * The layer-stack builder: the input shape and one editable row per layer (Conv2D, MaxPool,
 * Flatten, Dense), and below them a diagram of the feature maps (boxes scaled by height and width)
 * and the summary as `padlab summary` prints it (each layer's output shape and parameter count, and
 * the total), large enough for a projector. The diagram gives way first when the height is short.
 *
 * It edits the session's layerInputShape() and layerSpec() through setLayerStack() and shows what
 * the session holds, whoever set it. Shapes and counts are the snapshot's layer summary, which
 * the session computes (core::summarize()) whenever the stack changes; a stack the engine
 * refuses shows the engine's message (naming the layer) in place of the table, and the rows stay
 * editable so that the stack can be mended. It is drawn in the session's look.
 */
class LayerStackView : public QWidget {
    Q_OBJECT

public:
    /// One row of the summary as shown: `conv2d_1 (Conv2D)`, `(None, 24, 24, 64)`, `18,496`.
    struct ShownRow {
        QString name;
        QString shape;
        QString params;
    };

    explicit LayerStackView(Session *session, QWidget *parent = nullptr);

    double fontScale() const { return m_fontScale; }
    bool isDark() const { return m_dark; }

    /// The layer a new row starts as: Conv2D 32 filters 3×3 valid, MaxPool 2, Flatten, Dense 64.
    static core::Layer defaultLayer(core::Layer::Kind kind);
    /// Colour of the engine's message when it refuses the stack.
    static QColor errorColor(bool dark);

    // What the summary shows.
    QList<ShownRow> shownRows() const;
    QString totalText() const; ///< `Total params: 15,955,210`; empty while the stack is refused
    QString errorText() const; ///< the engine's message; empty while the stack is accepted
    /// The feature-map diagram: the input and every layer's output (`28×28×1`, ..., `61952`),
    /// and where their boxes are drawn in this widget's coordinates (none when there is no room).
    QStringList mapLabels() const;
    QList<QRectF> mapBoxes() const;
    int faultyRow() const { return m_faultyRow; } ///< the editor row the message names, or -1

    // The editors, for tests and the main window.
    QSpinBox *inputEditor(int axis) const; ///< 0 height, 1 width, 2 channels
    int layerCount() const;                ///< rows in the editor
    QComboBox *kindEditor(int row) const;
    QSpinBox *countEditor(int row) const;  ///< Conv2D filters or Dense units (hidden otherwise)
    QSpinBox *sizeEditor(int row) const;   ///< Conv2D kernel or MaxPool pool size (hidden otherwise)
    QSpinBox *strideEditor(int row) const; ///< Conv2D only
    QComboBox *paddingEditor(int row) const; ///< Conv2D only: valid, same
    QAbstractButton *addButton(core::Layer::Kind kind) const;
    QAbstractButton *removeButton() const;
    QAbstractButton *moveUpButton() const;
    QAbstractButton *moveDownButton() const;
    /// The "All Conv2D layers: valid | same" switch; each is checked when every Conv2D has it.
    QAbstractButton *allValidButton() const;
    QAbstractButton *allSameButton() const;
    int selectedRow() const; ///< -1 when no row is selected
    void selectRow(int row); ///< -1 clears the selection

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct RowEditors {
        QComboBox *kind = nullptr;
        QSpinBox *count = nullptr;
        QSpinBox *size = nullptr;
        QSpinBox *stride = nullptr;
        QComboBox *padding = nullptr;
    };

    void syncFromSession();
    void lookChanged();
    void refreshSummary();
    void fitSummary();
    void markFaultyRow(int row);
    void rebuildRows();
    void showRow(int row);
    void updateControls();
    void applyFonts();
    void commit();
    void insertLayer(core::Layer::Kind kind);
    void removeSelected();
    void moveSelected(int by);
    void setAllSame(bool same);
    QString inputShapeText() const;

    Session *m_session;
    std::vector<core::Layer> m_layers;
    std::vector<RowEditors> m_rows;
    double m_fontScale = 1.0;
    bool m_dark = false;
    int m_faultyRow = -1;

    QSpinBox *m_input[3] = {};
    QPushButton *m_allValid = nullptr;
    QPushButton *m_allSame = nullptr;
    QTableWidget *m_editor = nullptr;
    QPushButton *m_add[4] = {};
    QPushButton *m_remove = nullptr;
    QPushButton *m_moveUp = nullptr;
    QPushButton *m_moveDown = nullptr;
    QTableWidget *m_summary = nullptr;
    QLabel *m_total = nullptr;
    QLabel *m_error = nullptr;
    FeatureMapStrip *m_maps = nullptr;
};

} // namespace padlab::ui
