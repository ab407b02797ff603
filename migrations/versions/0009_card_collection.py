"""card_collection: card applications and ID photos

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 01:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('card_application',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('nationality', sa.String(length=32), nullable=True),
    sa.Column('ethnicity', sa.String(length=2), nullable=True),
    sa.Column('phone', sa.String(length=11), nullable=True),
    sa.Column('address', sa.String(length=128), nullable=True),
    sa.Column('occupation', sa.String(length=64), nullable=True),
    sa.Column('bank', sa.String(length=32), nullable=True),
    sa.Column('collection_point', sa.String(length=128), nullable=True),
    sa.Column('return_reason', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('city', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_card_application_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_card_application')),
    sa.UniqueConstraint('city', 'person_id', name=op.f('uq_card_application_city_person_id'))
    )
    with op.batch_alter_table('card_application', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_card_application_city'), ['city'], unique=False)

    op.create_table('card_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=128), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reject_reason', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('city', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_card_photo_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_card_photo')),
    sa.UniqueConstraint('city', 'person_id', name=op.f('uq_card_photo_city_person_id'))
    )
    with op.batch_alter_table('card_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_card_photo_city'), ['city'], unique=False)


def downgrade():
    with op.batch_alter_table('card_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_card_photo_city'))

    op.drop_table('card_photo')
    with op.batch_alter_table('card_application', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_card_application_city'))

    op.drop_table('card_application')
